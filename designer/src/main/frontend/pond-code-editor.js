// A code editor for Groovy conditions: CodeMirror 6 with Groovy highlighting, line numbers and undo. The value
// reaches the server as the "value" property with a "value-changed" event, like Vaadin's own fields.
import { EditorView, minimalSetup } from 'codemirror';
import { EditorState, Compartment } from '@codemirror/state';
import { StreamLanguage } from '@codemirror/language';
import { groovy } from '@codemirror/legacy-modes/mode/groovy';

class PondCodeEditor extends HTMLElement {

  constructor() {
    super();
    this._value = '';
    this._readOnly = false;
    this.editable = new Compartment();
  }

  connectedCallback() {
    if (this.view) {
      return;
    }
    this.style.display = 'block';
    this.style.border = '1px solid var(--lumo-contrast-20pct)';
    this.style.borderRadius = 'var(--lumo-border-radius-m)';
    this.view = new EditorView({
      parent: this,
      state: this.state(this._value)
    });
  }

  state(text) {
    return EditorState.create({
      doc: text,
      extensions: [
        // highlighting, undo, search; no auto-closed brackets or completion popups that fight the typing
        minimalSetup,
        EditorView.lineWrapping,
        EditorView.theme({ '&': { minHeight: '6em', fontSize: 'var(--lumo-font-size-s)' }, '.cm-content': { fontFamily: 'monospace' } }),
        StreamLanguage.define(groovy),
        this.editable.of(EditorState.readOnly.of(this._readOnly)),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !this.fromServer) {
            this._value = update.state.doc.toString();
            clearTimeout(this.timer);
            // like a lazy Vaadin field: after a pause in typing, not on every key
            this.timer = setTimeout(() => this.dispatchEvent(new CustomEvent('value-changed',
              { detail: { value: this._value } })), 400);
          }
        })
      ]
    });
  }

  get value() {
    return this._value;
  }

  set value(text) {
    const next = text || '';
    // the server echoing an older value must not undo what is being typed
    if (next === this._value || (this.view && this.view.hasFocus)) {
      return;
    }
    this._value = next;
    if (this.view) {
      this.fromServer = true;
      this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: next } });
      this.fromServer = false;
    }
  }

  get readonly() {
    return this._readOnly;
  }

  set readonly(readOnly) {
    if (this._readOnly === !!readOnly) {
      return;
    }
    this._readOnly = !!readOnly;
    if (this.view) {
      this.view.dispatch({ effects: this.editable.reconfigure(EditorState.readOnly.of(this._readOnly)) });
    }
  }
}

customElements.define('pond-code-editor', PondCodeEditor);
