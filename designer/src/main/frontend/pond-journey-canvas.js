// The journey canvas: bpmn-js with Pond's palette and context pad instead of the raw BPMN ones. Each block is
// ordinary BPMN underneath (a timer event, a message event, a gateway, a service task bound to a connector), so
// the file opens in Camunda Modeler and back. The server owns the properties panel: it gets the diagram after each
// change and the selection, and changes the diagram through setProperties (undoable like any other edit).
import Modeler from 'bpmn-js/lib/Modeler';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';

const STYLE = `
pond-journey-canvas { display: block; position: relative; }
pond-journey-canvas .pond-canvas { position: absolute; inset: 0; }
pond-journey-canvas .djs-palette { max-height: calc(100% - 40px); overflow-y: auto; }
pond-journey-canvas .djs-palette .entry img, pond-journey-canvas .djs-context-pad .entry img { width: 24px; height: 24px; }
.pond-problem:not(.djs-connection) .djs-visual > :nth-child(1) { stroke: #d32f2f !important; stroke-width: 3px !important; }
.pond-problem.djs-connection .djs-visual > path { stroke: #d32f2f !important; }
.pond-path:not(.djs-connection) .djs-visual > :nth-child(1) { fill: #e3f2fd !important; stroke: #1565c0 !important; }
.pond-path.djs-connection .djs-visual > path { stroke: #1565c0 !important; stroke-width: 3px !important; }
.pond-count { font: 12px sans-serif; background: #1565c0; color: #fff; border-radius: 9px; padding: 1px 6px; white-space: nowrap; }
.pond-count .converted { color: #c8e6c9; }
pond-journey-canvas.read-only .djs-palette, pond-journey-canvas.read-only .djs-context-pad { display: none; }
.pond-problem-badge { background: #d32f2f; color: #fff; border-radius: 50%; width: 18px; height: 18px; font: bold 12px/18px sans-serif;
  text-align: center; cursor: pointer; }
`;

function paletteModule(canvasElement) {
  function PondPalette(palette, create, elementFactory, bpmnFactory, moddle, handTool, lassoTool, globalConnect) {
    this.getPaletteEntries = () => {
      const entries = {
        'hand-tool': { group: 'tools', className: 'bpmn-icon-hand-tool', title: canvasElement.text('hand'),
          action: { click: (event) => handTool.activateHand(event) } },
        'lasso-tool': { group: 'tools', className: 'bpmn-icon-lasso-tool', title: canvasElement.text('lasso'),
          action: { click: (event) => lassoTool.activateSelection(event) } },
        'global-connect-tool': { group: 'tools', className: 'bpmn-icon-connection-multi', title: canvasElement.text('connect'),
          action: { click: (event) => globalConnect.start(event) } },
        'tool-separator': { group: 'tools', separator: true }
      };
      for (const block of canvasElement.blocks) {
        const start = block.kind === 'goal' || block.kind === 'exit'
          ? (event) => create.start(event, canvasElement.endingFor(block, elementFactory, moddle), { hints: { autoSelect: [] } })
          : (event) => create.start(event, canvasElement.shapeFor(block, elementFactory, bpmnFactory, moddle));
        entries['pond-' + block.id] = {
          group: block.group,
          className: 'pond-block pond-block-' + block.id + (block.icon ? '' : ' ' + block.className),
          title: block.title,
          imageUrl: block.icon || undefined,
          action: { dragstart: start, click: start }
        };
      }
      return () => entries;
    };
    palette.registerProvider(900, this);
  }
  PondPalette.$inject = ['palette', 'create', 'elementFactory', 'bpmnFactory', 'moddle', 'handTool', 'lassoTool', 'globalConnect'];

  // the context pad appends journey blocks (placed and connected for you); connect and delete stay
  function PondContextPad(contextPad, autoPlace, elementFactory, bpmnFactory, moddle, modeling, connect) {
    this.getContextPadEntries = (element) => (entries) => {
      const kept = {};
      for (const name of ['connect', 'delete']) {
        if (entries[name]) {
          kept[name] = entries[name];
        }
      }
      if (element.type === 'bpmn:EndEvent' || element.type === 'bpmn:SequenceFlow' || element.type === 'label') {
        return kept;
      }
      for (const block of canvasElement.blocks) {
        if (block.kind === 'start' || block.kind === 'goal' || block.kind === 'exit') {
          continue;
        }
        kept['append.pond-' + block.id] = {
          group: 'model',
          className: 'pond-append-' + block.id + (block.icon ? '' : ' ' + block.className),
          imageUrl: block.icon || undefined,
          title: block.title,
          action: { click: () => autoPlace.append(element, canvasElement.shapeFor(block, elementFactory, bpmnFactory, moddle)) }
        };
      }
      return kept;
    };
    contextPad.registerProvider(900, this);
  }
  PondContextPad.$inject = ['contextPad', 'autoPlace', 'elementFactory', 'bpmnFactory', 'moddle', 'modeling', 'connect'];

  return {
    __init__: ['pondPalette', 'pondContextPad'],
    pondPalette: ['type', PondPalette],
    pondContextPad: ['type', PondContextPad]
  };
}

class PondJourneyCanvas extends HTMLElement {

  constructor() {
    super();
    this.blocks = [];
    this.texts = {};
    this.problemIds = [];
    this.pathIds = [];
  }

  connectedCallback() {
    if (this.modeler) {
      return;
    }
    if (!document.getElementById('pond-journey-canvas-style')) {
      const style = document.createElement('style');
      style.id = 'pond-journey-canvas-style';
      style.textContent = STYLE;
      document.head.appendChild(style);
    }
    this.container = document.createElement('div');
    this.container.className = 'pond-canvas';
    this.appendChild(this.container);
    this.modeler = new Modeler({
      container: this.container,
      moddleExtensions: { camunda: camundaModdle },
      additionalModules: [paletteModule(this)]
    });
    const eventBus = this.modeler.get('eventBus');
    eventBus.on('commandStack.changed', () => this.changed());
    eventBus.on('selection.changed', (event) => {
      const selected = event.newSelection.length === 1 ? event.newSelection[0] : null;
      this.selectedId = selected ? (selected.type === 'label' ? selected.labelTarget.id : selected.id) : null;
      if (this.$server) {
        this.$server.selectionChanged(this.selectedId);
      }
    });
  }

  text(key) {
    return this.texts[key] || key;
  }

  /** Blocks of the palette (from the server: built-ins and one per installed connector) and UI texts. */
  setPalette(blocksJson, textsJson) {
    this.blocks = JSON.parse(blocksJson);
    this.texts = JSON.parse(textsJson);
    if (this.modeler) {
      this.modeler.get('palette')._rebuild();
    }
  }

  shapeFor(block, elementFactory, bpmnFactory, moddle) {
    const attrs = { type: block.type };
    if (block.eventDefinition) {
      attrs.eventDefinitionType = block.eventDefinition;
    }
    const shape = elementFactory.createShape(attrs);
    const bo = shape.businessObject;
    bo.name = block.name;
    if (block.timer) {
      bo.eventDefinitions[0].timeDuration = bpmnFactory.create('bpmn:FormalExpression', { body: block.timer });
    }
    if (block.delegateExpression) {
      bo.set('camunda:delegateExpression', block.delegateExpression);
    }
    const properties = Object.entries(block.properties || {});
    if (properties.length) {
      bo.extensionElements = moddle.create('bpmn:ExtensionElements', {
        values: [moddle.create('camunda:Properties', {
          values: properties.map(([name, value]) => moddle.create('camunda:Property', { name, value }))
        })]
      });
    }
    return shape;
  }

  /**
   * Goal and Exit: an interrupting event sub-process whose message start names the event type, marked pond.end;
   * publishing makes it the journey's goal or one of its exits.
   */
  endingFor(block, elementFactory, moddle) {
    const sub = elementFactory.createShape({ type: 'bpmn:SubProcess', x: 0, y: 0, width: 240, height: 120, isExpanded: true });
    sub.businessObject.triggeredByEvent = true;
    sub.businessObject.name = block.name;
    sub.businessObject.extensionElements = moddle.create('bpmn:ExtensionElements', {
      values: [moddle.create('camunda:Properties', { values: [moddle.create('camunda:Property', { name: 'pond.end', value: block.kind })] })]
    });
    const start = elementFactory.createShape({ type: 'bpmn:StartEvent', eventDefinitionType: 'bpmn:MessageEventDefinition',
      x: 40, y: 42, parent: sub });
    const end = elementFactory.createShape({ type: 'bpmn:EndEvent', x: 160, y: 42, parent: sub });
    const flow = elementFactory.createConnection({ type: 'bpmn:SequenceFlow', source: start, target: end, parent: sub,
      waypoints: [{ x: 76, y: 60 }, { x: 160, y: 60 }] });
    return [sub, start, end, flow];
  }

  async importXml(xml) {
    const started = performance.now();
    try {
      const result = await this.modeler.importXML(xml);
      this.fit();
      this.importMillis = Math.round(performance.now() - started);
      this.dispatchEvent(new CustomEvent('imported', { detail: { warnings: result.warnings.length, millis: this.importMillis } }));
    } catch (e) {
      this.dispatchEvent(new CustomEvent('import-failed', { detail: { message: e.message } }));
    }
  }

  async getXml() {
    const { xml } = await this.modeler.saveXML({ format: true });
    return xml;
  }

  async changed() {
    const started = performance.now();
    const xml = await this.getXml();
    this.lastSerializeMillis = Math.round(performance.now() - started);
    if (this.$server) {
      this.$server.diagramChanged(xml);
    }
  }

  element(id) {
    return this.modeler.get('elementRegistry').get(id);
  }

  /**
   * Changes one element, as one undoable command stack entry each: name, camunda properties (null removes),
   * timer ({kind, value}), condition ({language, body} or null), default flow id, message (event type name).
   */
  setProperties(id, json) {
    const element = this.element(id);
    if (!element) {
      return;
    }
    const change = JSON.parse(json);
    const modeling = this.modeler.get('modeling');
    const bpmnFactory = this.modeler.get('bpmnFactory');
    const moddle = this.modeler.get('moddle');
    const bo = element.businessObject;
    if ('name' in change) {
      modeling.updateProperties(element, { name: change.name || undefined });
    }
    if (change.properties) {
      const current = {};
      const extensions = bo.extensionElements ? bo.extensionElements.values : [];
      const others = extensions.filter((e) => e.$type !== 'camunda:Properties');
      for (const group of extensions.filter((e) => e.$type === 'camunda:Properties')) {
        for (const property of group.values || []) {
          current[property.name] = property.value;
        }
      }
      for (const [name, value] of Object.entries(change.properties)) {
        if (value === null || value === '') {
          delete current[name];
        } else {
          current[name] = value;
        }
      }
      const values = Object.entries(current).map(([name, value]) => moddle.create('camunda:Property', { name, value }));
      const groups = values.length ? [moddle.create('camunda:Properties', { values })] : [];
      modeling.updateProperties(element, { extensionElements: others.length || groups.length
        ? moddle.create('bpmn:ExtensionElements', { values: [...others, ...groups] }) : undefined });
    }
    if (change.timer) {
      const definition = bo.eventDefinitions[0];
      const expression = bpmnFactory.create('bpmn:FormalExpression', { body: change.timer.value });
      modeling.updateModdleProperties(element, definition, { timeDuration: undefined, timeDate: undefined, timeCycle: undefined,
        [change.timer.kind]: expression });
    }
    if ('condition' in change) {
      modeling.updateProperties(element, { conditionExpression: change.condition
        ? bpmnFactory.create('bpmn:FormalExpression', { body: change.condition.body, language: change.condition.language || undefined })
        : undefined });
    }
    if ('defaultFlow' in change) {
      const flow = change.defaultFlow ? this.element(change.defaultFlow) : null;
      modeling.updateProperties(element, { default: flow ? flow.businessObject : undefined });
    }
    if (change.message) {
      const definitions = this.modeler.getDefinitions();
      let message = definitions.rootElements.find((e) => e.$type === 'bpmn:Message' && e.name === change.message);
      if (!message) {
        message = bpmnFactory.create('bpmn:Message', { name: change.message });
        modeling.updateModdleProperties(element, definitions, { rootElements: [...definitions.rootElements, message] });
      }
      modeling.updateModdleProperties(element, bo.eventDefinitions[0], { messageRef: message });
    }
  }

  select(id) {
    const element = this.element(id);
    if (element) {
      this.modeler.get('selection').select(element);
      this.modeler.get('canvas').scrollToElement(element);
    }
  }

  /** Marks each problem's node red with a badge holding the message; a click on the badge selects the node. */
  setProblems(json) {
    const canvas = this.modeler.get('canvas');
    const overlays = this.modeler.get('overlays');
    this.problemIds.forEach((id) => this.element(id) && canvas.removeMarker(id, 'pond-problem'));
    overlays.remove({ type: 'pond-problem' });
    const problems = JSON.parse(json);
    this.problemIds = [];
    for (const problem of problems) {
      if (!problem.id || !this.element(problem.id)) {
        continue;
      }
      this.problemIds.push(problem.id);
      canvas.addMarker(problem.id, 'pond-problem');
      const badge = document.createElement('div');
      badge.className = 'pond-problem-badge';
      badge.textContent = '!';
      badge.title = problem.message;
      badge.setAttribute('data-element', problem.id);
      badge.addEventListener('click', () => this.select(problem.id));
      overlays.add(problem.id, 'pond-problem', { position: { top: -9, right: 9 }, html: badge });
    }
  }

  /** Counts per node ({id: {waiting, passed, converted}}), drawn under each node. */
  setCounts(json) {
    const overlays = this.modeler.get('overlays');
    overlays.remove({ type: 'pond-count' });
    for (const [id, count] of Object.entries(JSON.parse(json))) {
      if (!this.element(id)) {
        continue;
      }
      const badge = document.createElement('div');
      badge.className = 'pond-count';
      badge.setAttribute('data-element', id);
      badge.setAttribute('data-waiting', count.waiting);
      badge.setAttribute('data-passed', count.passed);
      badge.setAttribute('data-converted', count.converted);
      badge.textContent = count.waiting + ' ' + this.text('waiting') + ' · ' + count.passed + ' ' + this.text('passed')
        + (count.converted ? ' · ' + count.converted + ' ' + this.text('converted') : '');
      badge.title = this.text('counts');
      overlays.add(id, 'pond-count', { position: this.countPosition(this.element(id)), html: badge });
    }
  }

  /**
   * Above the node; a boundary event on the lower half of its step gets its counts below it and its label, where they
   * cover neither the step's own counts nor the label.
   */
  countPosition(element) {
    const host = element.host;
    if (host && element.y + element.height / 2 > host.y + host.height / 2) {
      const label = element.label;
      const bottom = label ? Math.max(element.height, label.y + label.height - element.y) : element.height;
      return { top: bottom + 4, left: -8 };
    }
    return { top: -24, left: -8 };
  }

  /** Highlights one customer's path. */
  highlight(json) {
    const canvas = this.modeler.get('canvas');
    this.pathIds.forEach((id) => this.element(id) && canvas.removeMarker(id, 'pond-path'));
    this.pathIds = JSON.parse(json).filter((id) => this.element(id));
    this.pathIds.forEach((id) => canvas.addMarker(id, 'pond-path'));
  }

  undo() {
    this.modeler.get('commandStack').undo();
  }

  redo() {
    this.modeler.get('commandStack').redo();
  }

  zoom(step) {
    if (step === 0) {
      this.fit();
    } else {
      this.modeler.get('zoomScroll').stepZoom(step);
    }
  }

  /**
   * The whole diagram in view, centred in the space right of the palette: bpmn-js's own fit uses the full width,
   * and a wide journey's first steps ended up under the palette.
   */
  fit() {
    const canvas = this.modeler.get('canvas');
    canvas.zoom('fit-viewport', 'auto');
    const palette = this.querySelector('.djs-palette');
    const paletteRight = palette && palette.offsetParent ? palette.getBoundingClientRect().right - this.getBoundingClientRect().left : 0;
    const box = canvas.viewbox();
    if (paletteRight <= 0 || box.inner.width === 0 || box.outer.width <= paletteRight + 40) {
      return;
    }
    const free = box.outer.width - paletteRight - 24; // px right of the palette, less a margin
    const scale = Math.min(1, free / box.inner.width, (box.outer.height - 24) / box.inner.height);
    const left = paletteRight + 12 + (free - box.inner.width * scale) / 2;
    const top = (box.outer.height - box.inner.height * scale) / 2;
    canvas.viewbox({ x: box.inner.x - left / scale, y: box.inner.y - top / scale,
      width: box.outer.width / scale, height: box.outer.height / scale });
  }

  /** Read only (the live view): no palette, no editing. */
  setReadOnly(readOnly) {
    this.classList.toggle('read-only', readOnly);
  }
}

customElements.define('pond-journey-canvas', PondJourneyCanvas);
