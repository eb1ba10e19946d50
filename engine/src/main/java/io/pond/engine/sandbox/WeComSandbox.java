package io.pond.engine.sandbox;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pond.connectors.wecom.WeComCrypto;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * WeCom's 客户联系 API as wecom-contract.md describes it: tokens that expire (42001) or are unknown (40014),
 * welcome codes valid for 20 s and usable once (41050, 41051), mass sends with a fail_list, tags, contact ways
 * (a state longer than 30 characters is 40058), external contacts (unknown: 40096), and the mass-send tasks behind
 * get_groupmsg_list_v2, get_groupmsg_task and get_groupmsg_send_result (a task younger than 5 s is 41063, an unknown
 * msgid 41047; a task stays unsent until {@link #confirmMassSend} plays the staff member). Sandbox conventions:
 * an external_userid starting with {@code wmINVALID} lands in fail_list, one starting with {@code wmGONE} is
 * no longer a contact (84061).
 */
@RestController
@RequestMapping(path = "/sandbox/wecom/cgi-bin", produces = MediaType.APPLICATION_JSON_VALUE)
public class WeComSandbox {

    private static final Duration WELCOME_CODE_LIFE = Duration.ofSeconds(20);
    /** WeCom needs a moment before it answers queries about a task it just created (41063). */
    private static final Duration TASK_SETTLING = Duration.ofSeconds(5);

    private final Sandbox sandbox;
    private final ObjectMapper json;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> welcomeCodes = new ConcurrentHashMap<>();
    private final Map<String, String> usedWelcomeCodes = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> contacts = new ConcurrentHashMap<>();
    private final Map<String, String[]> contactWays = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile long tokenLifetime = 7200;
    private final Map<String, long[]> rateWindows = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private volatile int callsPerMinute = 10_000;
    private volatile int concurrentCalls = 20;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, MassTask> massTasks = new ConcurrentHashMap<>();
    private volatile boolean massTasksRestored;

    /** A mass-send task: who created it, when, its text, and each recipient's send status (0 not sent, 1 sent). */
    private record MassTask(String msgid, String creator, boolean group, String text, Instant createdAt,
            Map<String, Integer> status) {

        /** The task a send request made (as received, or as read back from the log), no recipient sent to yet. */
        static MassTask of(String msgid, JsonNode request, String recipients, Instant createdAt) {
            Map<String, Integer> status = new java.util.LinkedHashMap<>();
            for (String recipient : recipients.split(", ")) {
                status.put(recipient, 0);
            }
            return new MassTask(msgid, request.path("sender").asText(""), "group".equals(request.path("chat_type").asText("single")),
                    request.path("text").path("content").asText(""), createdAt, java.util.Collections.synchronizedMap(status));
        }
    }

    public WeComSandbox(Sandbox sandbox, ObjectMapper json) {
        this.sandbox = sandbox;
        this.json = json;
    }

    /** How long new tokens live, in seconds (tests shorten it). */
    public void tokenLifetime(long seconds) {
        this.tokenLifetime = seconds;
    }

    /**
     * WeCom's frequency limits, per API for the corp: more than {@code perMinute} calls in a minute are refused
     * with 45009 until the minute is over; more than {@code concurrent} at once with 45033.
     */
    public void limits(int perMinute, int concurrent) {
        this.callsPerMinute = perMinute;
        this.concurrentCalls = concurrent;
        rateWindows.clear();
    }

    /** Back to a fresh WeCom: default limits and token lifetime; Pond's clients forget their tokens and pauses. */
    public void reset() {
        limits(10_000, 20);
        tokenLifetime = 7200;
        io.pond.connectors.wecom.WeComClient.reset();
    }

    /** WeCom revokes every token early: the next call with one gets 42001. */
    public void expireTokens() {
        tokens.replaceAll((token, expires) -> Instant.EPOCH);
    }

    /** How many tokens were handed out (each gettoken call is one). */
    public long tokensIssued() {
        return sequence.get();
    }

    @GetMapping("/gettoken")
    public ResponseEntity<String> gettoken(@RequestParam(required = false) String corpid,
            @RequestParam(required = false) String corpsecret) {
        if (!sandbox.enabled()) {
            return ResponseEntity.notFound().build();
        }
        if (!Sandbox.CORP_ID.equals(corpid)) {
            return error(40013, "invalid corpid");
        }
        if (!Sandbox.CORP_SECRET.equals(corpsecret)) {
            return error(40001, "invalid credential");
        }
        sequence.incrementAndGet();
        String token = randomId(64);
        tokens.put(token, sandbox.clock().instant().plusSeconds(tokenLifetime));
        return ok(json.createObjectNode().put("access_token", token).put("expires_in", tokenLifetime));
    }

    @PostMapping("/externalcontact/send_welcome_msg")
    public ResponseEntity<String> sendWelcome(@RequestParam(name = "access_token", required = false) String token,
            @RequestBody JsonNode body) {
        return handle("send_welcome_msg", token, () -> {
            String code = body.path("welcome_code").asText("");
            if (code.isEmpty()) {
                return error(41049, "missing welcome code");
            }
            if (usedWelcomeCodes.containsKey(code)) {
                return error(41051, "welcome code already used");
            }
            Instant expires = welcomeCodes.get(code);
            if (expires == null || sandbox.clock().instant().isAfter(expires)) {
                return error(41050, "invalid welcome code");
            }
            if (!body.has("text") && !body.has("attachments")) {
                return error(41055, "text and attachments empty");
            }
            String customer = contactOfWelcomeCode(code);
            usedWelcomeCodes.put(code, customer);
            sandbox.record("wecom", "send_welcome_msg", customer, body.path("text").path("content").asText(""), body.toString(), "{}");
            return ok(json.createObjectNode());
        });
    }

    @PostMapping("/externalcontact/add_msg_template")
    public ResponseEntity<String> addMessageTemplate(@RequestParam(name = "access_token", required = false) String token,
            @RequestBody JsonNode body) {
        return handle("add_msg_template", token, () -> {
            boolean group = "group".equals(body.path("chat_type").asText("single"));
            ArrayNode failList = json.createArrayNode();
            StringBuilder recipients = new StringBuilder();
            JsonNode targets = group ? body.path("chat_id_list") : body.path("external_userid");
            if (group && body.path("sender").asText("").isEmpty()) {
                return error(40058, "sender required for group");
            }
            for (JsonNode target : targets) {
                if (!group && target.asText().startsWith("wmINVALID")) {
                    failList.add(target.asText());
                } else {
                    recipients.append(recipients.isEmpty() ? "" : ", ").append(target.asText());
                }
            }
            if (recipients.isEmpty() && failList.isEmpty()) {
                return error(41048, "no customer to send");
            }
            String msgid = "msgSANDBOX" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
            ObjectNode answer = json.createObjectNode().put("msgid", msgid);
            answer.set("fail_list", failList);
            if (!recipients.isEmpty()) {
                MassTask task = MassTask.of(msgid, body, recipients.toString(), sandbox.clock().instant());
                massTasks().put(msgid, task);
                sandbox.record("wecom", "add_msg_template", recipients.toString(), task.text(), body.toString(), answer.toString());
            }
            return ok(answer);
        });
    }

    /** Tasks created in [start_time, end_time], by the creator when given, oldest first, pages of {@code limit} (≤ 100). */
    @PostMapping("/externalcontact/get_groupmsg_list_v2")
    public ResponseEntity<String> listMassTasks(@RequestParam(name = "access_token", required = false) String token,
            @RequestBody JsonNode body) {
        return handle("get_groupmsg_list_v2", token, () -> {
            if (!body.has("start_time") || !body.has("end_time")) {
                return error(40058, "start_time and end_time required");
            }
            long start = body.path("start_time").asLong();
            long end = body.path("end_time").asLong();
            if (end < start || end - start > Duration.ofDays(31).toSeconds()) {
                return error(40058, "invalid time range");
            }
            boolean group = "group".equals(body.path("chat_type").asText("single"));
            String creator = body.path("creator").asText("");
            java.util.List<MassTask> found = massTasks().values().stream()
                    .filter(task -> task.group() == group && (creator.isEmpty() || creator.equals(task.creator())))
                    .filter(task -> task.createdAt().getEpochSecond() >= start && task.createdAt().getEpochSecond() <= end)
                    .sorted(java.util.Comparator.comparing(MassTask::createdAt).thenComparing(MassTask::msgid)).toList();
            ObjectNode answer = json.createObjectNode();
            ArrayNode list = answer.putArray("group_msg_list");
            int[] page = page(body, 50, 100, found.size());
            for (MassTask task : found.subList(page[0], page[1])) {
                ObjectNode row = list.addObject().put("msgid", task.msgid()).put("creator", task.creator())
                        .put("create_time", task.createdAt().getEpochSecond()).put("create_type", 0);
                row.putObject("text").put("content", task.text());
            }
            answer.put("next_cursor", page[1] < found.size() ? Integer.toString(page[1]) : "");
            return ok(answer);
        });
    }

    @PostMapping("/externalcontact/get_groupmsg_task")
    public ResponseEntity<String> massTaskSenders(@RequestParam(name = "access_token", required = false) String token,
            @RequestBody JsonNode body) {
        return handle("get_groupmsg_task", token, () -> withTask(body, task -> {
            ObjectNode answer = json.createObjectNode();
            ArrayNode list = answer.putArray("task_list");
            if (!task.creator().isEmpty()) {
                boolean sent = task.status().values().stream().anyMatch(status -> status == 1);
                list.addObject().put("userid", task.creator()).put("status", sent ? 2 : 0);
            }
            answer.put("next_cursor", "");
            return ok(answer);
        }));
    }

    /** A single task lists every recipient with its status; a group task only the groups it was sent to. */
    @PostMapping("/externalcontact/get_groupmsg_send_result")
    public ResponseEntity<String> massTaskResults(@RequestParam(name = "access_token", required = false) String token,
            @RequestBody JsonNode body) {
        return handle("get_groupmsg_send_result", token, () -> withTask(body, task -> {
            ObjectNode answer = json.createObjectNode();
            ArrayNode list = answer.putArray("send_list");
            if (!task.creator().equals(body.path("userid").asText(""))) {
                answer.put("next_cursor", "");
                return ok(answer);
            }
            java.util.List<Map.Entry<String, Integer>> rows;
            synchronized (task.status()) {
                rows = task.status().entrySet().stream().filter(row -> !task.group() || row.getValue() == 1)
                        .map(row -> Map.entry(row.getKey(), row.getValue())).toList();
            }
            int[] page = page(body, 500, 1000, rows.size());
            for (Map.Entry<String, Integer> row : rows.subList(page[0], page[1])) {
                ObjectNode item = list.addObject().put(task.group() ? "chat_id" : "external_userid", row.getKey())
                        .put("userid", task.creator()).put("status", row.getValue());
                if (row.getValue() == 1) {
                    item.put("send_time", task.createdAt().getEpochSecond());
                }
            }
            answer.put("next_cursor", page[1] < rows.size() ? Integer.toString(page[1]) : "");
            return ok(answer);
        }));
    }

    /** The staff member confirms a mass-send task in their client: every recipient is sent to (status 1). */
    public void confirmMassSend(String msgid) {
        MassTask task = massTasks().get(msgid);
        if (task == null) {
            throw new IllegalArgumentException("No mass-send task " + msgid + " in the sandbox");
        }
        task.status().replaceAll((recipient, status) -> 1);
    }

    private ResponseEntity<String> withTask(JsonNode body, java.util.function.Function<MassTask, ResponseEntity<String>> answer) {
        MassTask task = massTasks().get(body.path("msgid").asText(""));
        if (task == null) {
            return error(41047, "invalid msgid");
        }
        if (sandbox.clock().instant().isBefore(task.createdAt().plus(TASK_SETTLING))) {
            return error(41063, "task is being created, retry later");
        }
        return answer.apply(task);
    }

    /**
     * WeCom keeps its tasks when Pond stops or dies. The sandbox lives in Pond's process, so after a start it rebuilds
     * them from its log, where each one was written before its answer went out; without that, a send Pond was killed
     * in the middle of looked as if it had never reached WeCom, and was sent again. Recipients start unsent (0): a
     * staff member's confirmation is not kept across a restart.
     */
    private Map<String, MassTask> massTasks() {
        if (!massTasksRestored) {
            synchronized (massTasks) {
                if (!massTasksRestored) {
                    sandbox.messages("wecom", "add_msg_template").forEach(this::restore);
                    massTasksRestored = true;
                }
            }
        }
        return massTasks;
    }

    private void restore(Sandbox.Message sent) {
        try {
            String msgid = json.readTree(sent.response()).path("msgid").asText("");
            massTasks.putIfAbsent(msgid, MassTask.of(msgid, json.readTree(sent.request()), sent.recipient(), sent.receivedAt()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException unreadable) {
            // a log row the sandbox did not write this way: no task to restore
        }
    }

    /** [from, to) of one page: the cursor is an offset; a limit above the maximum falls back to the default. */
    private static int[] page(JsonNode body, int defaultLimit, int maxLimit, int size) {
        int limit = body.path("limit").asInt(defaultLimit);
        if (limit <= 0 || limit > maxLimit) {
            limit = defaultLimit;
        }
        String cursor = body.path("cursor").asText("");
        int from = cursor.matches("[0-9]{1,9}") ? Math.min(Integer.parseInt(cursor), size) : 0;
        return new int[] {from, Math.min(size, from + limit)};
    }

    @PostMapping("/externalcontact/mark_tag")
    public ResponseEntity<String> markTag(@RequestParam(name = "access_token", required = false) String token,
            @RequestBody JsonNode body) {
        return handle("mark_tag", token, () -> {
            String customer = body.path("external_userid").asText("");
            if (customer.startsWith("wmGONE")) {
                return error(84061, "not external contact");
            }
            if (body.path("add_tag").isEmpty() && body.path("remove_tag").isEmpty()) {
                return error(40058, "add_tag and remove_tag empty");
            }
            sandbox.record("wecom", "mark_tag", customer, "add " + body.path("add_tag") + ", remove " + body.path("remove_tag"),
                    body.toString(), "{}");
            return ok(json.createObjectNode());
        });
    }

    @PostMapping("/externalcontact/add_contact_way")
    public ResponseEntity<String> addContactWay(@RequestParam(name = "access_token", required = false) String token,
            @RequestBody JsonNode body) {
        return handle("add_contact_way", token, () -> {
            String state = body.path("state").asText("");
            if (state.length() > 30) {
                return error(40058, "invalid state");
            }
            String user = body.path("user").path(0).asText("");
            if (user.isEmpty()) {
                return error(40058, "user required");
            }
            String configId = Long.toHexString(ThreadLocalRandom.current().nextLong()) + Long.toHexString(sequence.get());
            contactWays.put(configId, new String[] {state, user});
            ObjectNode answer = json.createObjectNode().put("config_id", configId)
                    .put("qr_code", sandbox.baseUrl() + "/wecom/qr/" + configId);
            sandbox.record("wecom", "add_contact_way", user, "state " + state, body.toString(), answer.toString());
            return ok(answer);
        });
    }

    @GetMapping("/externalcontact/get")
    public ResponseEntity<String> getContact(@RequestParam(name = "access_token", required = false) String token,
            @RequestParam(name = "external_userid", required = false) String externalUserid) {
        return handle("get", token, () -> {
            ObjectNode contact = externalUserid == null ? null : contacts.get(externalUserid);
            if (contact == null) {
                return error(40096, "invalid external userid");
            }
            return ok(contact.deepCopy());
        });
    }

    /**
     * A customer scans the QR code of a contact way: WeCom adds the contact, issues a welcome code valid for
     * 20 s and posts the encrypted {@code add_external_contact} event to Pond's callback URL.
     *
     * @return the new contact's external_userid
     */
    public String simulateScan(String configId, String customerName) {
        String[] way = contactWays.get(configId);
        if (way == null) {
            throw new IllegalArgumentException("No contact way " + configId + " was created in the sandbox");
        }
        return simulateAdd(way[1], way[0], customerName);
    }

    /** A customer adds a staff member (with a state, as through a contact way); see {@link #simulateScan}. */
    public String simulateAdd(String userid, String state, String customerName) {
        String externalUserid = "wm" + randomId(30);
        String welcomeCode = "WELCOME" + randomId(20);
        welcomeCodes.put(welcomeCode, sandbox.clock().instant().plus(WELCOME_CODE_LIFE));
        ObjectNode contact = json.createObjectNode();
        contact.putObject("external_contact").put("external_userid", externalUserid).put("name", customerName)
                .put("type", 1).put("gender", 0).put("unionid", "o" + randomId(27));
        contact.putArray("follow_user").addObject().put("userid", userid).put("state", state).put("add_way", 1)
                .put("createtime", sandbox.clock().instant().getEpochSecond());
        contact.put("next_cursor", "");
        contacts.put(externalUserid, contact);
        welcomeOwners.put(welcomeCode, externalUserid);
        String event = "<xml><ToUserName><![CDATA[" + Sandbox.CORP_ID + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
                + "<CreateTime>" + sandbox.clock().instant().getEpochSecond() + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>"
                + "<UserID><![CDATA[" + userid + "]]></UserID><ExternalUserID><![CDATA[" + externalUserid + "]]></ExternalUserID>"
                + "<State><![CDATA[" + state + "]]></State><WelcomeCode><![CDATA[" + welcomeCode + "]]></WelcomeCode></xml>";
        sandbox.record("wecom", "add_external_contact", externalUserid, customerName + " added " + userid + " (state " + state + ")",
                event, null);
        postCallback(event);
        return externalUserid;
    }

    private final Map<String, String> welcomeOwners = new ConcurrentHashMap<>();

    private String contactOfWelcomeCode(String code) {
        return welcomeOwners.getOrDefault(code, "?");
    }

    private void postCallback(String event) {
        WeComCrypto crypto = new WeComCrypto(Sandbox.CALLBACK_TOKEN, Sandbox.AES_KEY, Sandbox.CORP_ID);
        String encrypted = crypto.encrypt(event);
        String timestamp = Long.toString(sandbox.clock().instant().getEpochSecond());
        String nonce = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        String body = "<xml><ToUserName><![CDATA[" + Sandbox.CORP_ID + "]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID>"
                + "<Encrypt><![CDATA[" + encrypted + "]]></Encrypt></xml>";
        String url = sandbox.baseUrl().replaceAll("/sandbox$", "") + "/callbacks/wecom?msg_signature="
                + crypto.signature(timestamp, nonce, encrypted) + "&timestamp=" + timestamp + "&nonce="
                + URLEncoder.encode(nonce, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/xml")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Pond's WeCom callback answered " + response.statusCode() + ": " + response.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Pond's WeCom callback could not be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private interface Handler {
        ResponseEntity<String> handle();
    }

    /** Token check and injected faults, common to every API call. */
    private ResponseEntity<String> handle(String operation, String token, Handler handler) {
        if (!sandbox.enabled()) {
            return ResponseEntity.notFound().build();
        }
        if (token == null || token.isBlank()) {
            return error(41001, "access_token missing");
        }
        Instant expires = tokens.get(token);
        if (expires == null) {
            return error(40014, "invalid access_token");
        }
        if (sandbox.clock().instant().isAfter(expires)) {
            return error(42001, "access_token expired");
        }
        if (!withinRate(operation)) {
            return error(45009, "api freq out of limit");
        }
        java.util.concurrent.atomic.AtomicInteger running = inFlight.computeIfAbsent(operation,
                k -> new java.util.concurrent.atomic.AtomicInteger());
        try {
            if (running.incrementAndGet() > concurrentCalls) {
                return error(45033, "api concurrent out of limit");
            }
            Optional<Sandbox.Fault> fault = sandbox.nextFault(operation);
            if (fault.isPresent()) {
                if (fault.get().delay() != null) {
                    Sandbox.sleep(fault.get().delay());
                }
                if (fault.get().code() != 0) {
                    return error(fault.get().code(), "sandbox fault");
                }
                if (fault.get().cut()) {
                    // the request arrived; whether the work is done before the line breaks depends on the fault
                    cut(fault.get().workDone() ? handler.handle() : ok(json.createObjectNode()));
                    return null; // answered (half of it) already
                }
            }
            return handler.handle();
        } finally {
            running.decrementAndGet();
        }
    }

    /**
     * The work is done; the answer starts (status, a Content-Length longer than what follows, part of the body) and
     * the connection then closes, as when the far side dies mid-answer.
     */
    private static void cut(ResponseEntity<String> answer) {
        jakarta.servlet.http.HttpServletResponse response = ((org.springframework.web.context.request.ServletRequestAttributes)
                org.springframework.web.context.request.RequestContextHolder.currentRequestAttributes()).getResponse();
        byte[] body = String.valueOf(answer.getBody()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            response.setStatus(answer.getStatusCode().value());
            response.setContentType("application/json");
            response.setContentLength(body.length + 64);
            // and the connection ends with it, rather than idling until the keep-alive runs out
            response.setHeader("Connection", "close");
            response.getOutputStream().write(body, 0, body.length / 2);
            response.flushBuffer();
            // fewer bytes than announced: the server must close the connection, the caller reads an early end
            response.getOutputStream().close();
        } catch (java.io.IOException ignored) {
            // the caller went away first: cut either way
        }
    }

    /** A fixed one-minute window per API: once it is used up, calls fail until the next minute starts. */
    private boolean withinRate(String operation) {
        long minute = sandbox.clock().instant().getEpochSecond() / 60;
        long[] window = rateWindows.computeIfAbsent(operation, k -> new long[] {minute, 0});
        synchronized (window) {
            if (window[0] != minute) {
                window[0] = minute;
                window[1] = 0;
            }
            return ++window[1] <= callsPerMinute;
        }
    }

    private ResponseEntity<String> ok(ObjectNode answer) {
        answer.put("errcode", 0).put("errmsg", "ok");
        return ResponseEntity.ok(answer.toString());
    }

    private ResponseEntity<String> error(int errcode, String errmsg) {
        return ResponseEntity.ok(json.createObjectNode().put("errcode", errcode)
                .put("errmsg", errmsg + ", more info at https://open.work.weixin.qq.com/devtool/query?e=" + errcode).toString());
    }

    private static String randomId(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
