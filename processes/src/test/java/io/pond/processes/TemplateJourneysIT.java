package io.pond.processes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.customer.LifecycleStage;
import io.pond.engine.journey.Enrollments;
import io.pond.engine.journey.JourneySettings;
import io.pond.engine.journey.JourneyStats;
import io.pond.engine.journey.JourneyTestSupport;
import io.pond.engine.journey.Journeys;
import io.pond.engine.journey.StaffTasks;
import io.pond.engine.sandbox.Sandbox;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The shipped templates, published as they are, with customers walked through every branch on Camunda's clock;
 * what each customer received is read from the sandbox.
 */
class TemplateJourneysIT extends JourneyTestSupport {

    @Autowired CustomerTags tags;
    @Autowired JourneyStats stats;
    @Autowired StaffTasks staffTasks;

    private String publishTemplate(String templateKey) {
        JourneyTemplates.Template template = JourneyTemplates.find(templateKey).orElseThrow();
        String key = key(templateKey);
        JourneySettings settings = json.convertValue(template.settings(), JourneySettings.class);
        journeys.create(key, template.nameEn(), template.descriptionEn(), settings, template.bpmn(), "marketer");
        journeys.publish(key, Journeys.InFlight.STAY, "marketer");
        return key;
    }

    /** A customer without a WeChat openid: coupons cannot be issued to them. */
    private long customerWithoutOpenid(String name) {
        long id = directory.resolve(List.of(Set.of(new Identity(IdentityType.WECOM_EXTERNAL_USERID, "wm" + name))), List.of("test"))[0];
        directory.updateProfiles(List.of(id), List.of(new CustomerDirectory.ProfilePatch("Customer " + name, null, null, null,
                null, "zhangsan")));
        consents.grant(id, io.pond.engine.customer.ConsentChannel.WECOM, "test", "test");
        return id;
    }

    private int couponsFor(long customer) {
        return sandboxMessages("coupons", openid(customer));
    }

    private List<Sandbox.Message> crm(String operation) {
        return sandbox.messages("crm", operation);
    }

    private void at(ZonedDateTime time) {
        ClockUtil.setCurrentTime(Date.from(time.toInstant()));
    }

    private static ZonedDateTime shanghai(int day, int hour) {
        return ZonedDateTime.of(2026, 11, day, hour, 0, 0, 0, ZoneId.of("Asia/Shanghai"));
    }

    @Test
    void everyTemplateIsListedAndPublishes() {
        assertThat(JourneyTemplates.all()).extracting(JourneyTemplates.Template::key).containsExactly("welcome-qr",
                "lead-nurture", "cart-abandonment", "dormant-wakeup", "sales-follow-up", "birthday-care", "repurchase-reminder",
                "member-tier", "webinar-funnel");
        for (JourneyTemplates.Template template : JourneyTemplates.all()) {
            assertThat(template.nameZh()).isNotBlank();
            assertThat(template.descriptionEn()).isNotBlank();
            String key = publishTemplate(template.key());
            assertThat(key).startsWith(template.key());
            // the designer publishes only what validates without a single remark: a template must start clean
            assertThat(journeys.validate(key)).as(template.key()).isEmpty();
        }
    }

    @Test
    void welcomeViaChannelQr() {
        String key = publishTemplate("welcome-qr");
        // the store's QR code: the sandbox's WeCom calls Pond back as WeCom would
        String withCoupon = weCom.simulateAdd("zhangsan", "store-12", "王小明");
        long first = directory.findByIdentity(new Identity(IdentityType.WECOM_EXTERNAL_USERID, withCoupon)).orElseThrow();
        // this one follows the official account too, so a coupon can reach them
        directory.resolve(List.of(Set.of(new Identity(IdentityType.WECOM_EXTERNAL_USERID, withCoupon),
                new Identity(IdentityType.WECHAT_OPENID, "oWelcome" + key))), List.of("test"));
        String withoutOpenid = weCom.simulateAdd("zhangsan", "store-12", "李小红");
        long second = directory.findByIdentity(new Identity(IdentityType.WECOM_EXTERNAL_USERID, withoutOpenid)).orElseThrow();
        while (outbox.deliverBatch() > 0) {
            // the contact_added events reach the journey
        }
        runDueJobs();

        assertThat(messagesTo(first)).containsExactly("王小明，欢迎来到本店！新人券已放入您的微信卡包。");
        assertThat(couponsFor(first)).isEqualTo(1);
        assertThat(messagesTo(second)).containsExactly("李小红，欢迎来到本店！有任何问题随时找我。");
        for (long customer : List.of(first, second)) {
            assertThat(tags.tagsOf(customer)).anySatisfy(tag -> assertThat(tag.tag().name()).isEqualTo("新客户"));
            assertThat(enrollment(key, customer).endReason()).isEqualTo("COMPLETED");
        }
    }

    @Test
    void leadNurturingDrip() {
        String key = publishTemplate("lead-nurture");
        long reader = customer("reader-" + key);
        long silent = customer("silent-" + key);
        long otherProduct = customer("otherp-" + key);
        event(reader, "product_clicked", "{\"product\": \"product-a\"}");
        event(silent, "product_clicked", "{\"product\": \"product-a\"}");
        event(otherProduct, "product_clicked", "{\"product\": \"product-b\"}");
        assertThat(enrollments.of(otherProduct)).isEmpty();

        runDueJobs();
        later(hours(24));
        runDueJobs();
        String caseStudy = "Customer reader-" + key + "，为您整理了产品 A 的客户案例：https://example.com/cases/a";
        assertThat(messagesTo(reader)).containsExactly(caseStudy);

        later(hours(22));
        event(reader, "article_read", "{\"article\": \"case-a\"}");
        runDueJobs();
        later(hours(26));
        runDueJobs();
        assertThat(messagesTo(silent)).hasSize(2).last().asString().contains("案例还没来得及看吧");
        assertThat(messagesTo(reader)).as("not before 48 h after reading").containsExactly(caseStudy);

        later(hours(22));
        runDueJobs();
        assertThat(messagesTo(reader)).hasSize(2).last().asString().contains("免费试用 14 天");
        assertThat(messagesTo(silent)).hasSize(2);
    }

    @Test
    void cartAbandonment() {
        String key = publishTemplate("cart-abandonment");
        long pays = customer("pays-" + key);
        long forgets = customer("forgets-" + key);
        long noOpenid = customerWithoutOpenid("noopenid-" + key);
        for (long customer : List.of(pays, forgets, noOpenid)) {
            event(customer, "cart_item_added", "{\"sku\": \"milk-900g\"}");
        }
        runDueJobs();
        later(Duration.ofMinutes(40));
        event(pays, "order_paid", "{\"amount\": 268}");
        assertThat(enrollment(key, pays).endReason()).isEqualTo("GOAL");
        assertThat(enrollment(key, pays).convertedAt()).isEqualTo(now());

        later(Duration.ofMinutes(80));
        runDueJobs();
        assertThat(messagesTo(pays)).isEmpty();
        assertThat(couponsFor(pays)).isZero();
        assertThat(messagesTo(forgets)).containsExactly("Customer forgets-" + key + "，购物车里的宝贝还在等您，送您一张 5 元券，今天下单可用。");
        assertThat(couponsFor(forgets)).isEqualTo(1);
        assertThat(messagesTo(noOpenid)).containsExactly("Customer noopenid-" + key + "，购物车里的宝贝还在等您，库存不多了。");

        event(pays, "cart_item_added", "{\"sku\": \"milk-400g\"}");
        assertThat(enrollments.active(pays)).as("any time again, once at a time").hasSize(1);
        JourneyStats.VersionStats figures = stats.of(key, 1);
        assertThat(figures.totals().entered()).isEqualTo(4);
        assertThat(figures.totals().converted()).isEqualTo(1);
    }

    @Test
    void dormantWakeUp() {
        String key = publishTemplate("dormant-wakeup");
        long replies = customer("replies-" + key);
        long buys = customer("buys-" + key);
        long silent = customer("silent-" + key);
        long noOpenid = customerWithoutOpenid("noopenid-" + key);
        enrollments.enroll(key, List.of(replies, buys, silent, noOpenid), Enrollments.Source.SEGMENT, Map.of());
        runDueJobs();
        String offer = "，好久不见！送您一张 10 元回归券，7 天内有效。";
        String survey = "，想听听您的建议，1 分钟问卷：https://example.com/survey";
        assertThat(messagesTo(silent)).containsExactly("Customer silent-" + key + offer);
        assertThat(messagesTo(noOpenid)).as("no coupon: straight to the survey").containsExactly("Customer noopenid-" + key + survey);

        later(hours(5));
        event(replies, "message_replied", "{}");
        event(buys, "order_paid", "{\"amount\": 99}");
        assertThat(enrollment(key, replies).endReason()).isEqualTo("EXIT");
        assertThat(enrollment(key, buys).endReason()).isEqualTo("GOAL");

        later(Duration.ofDays(3));
        runDueJobs();
        assertThat(messagesTo(silent)).containsExactly("Customer silent-" + key + offer, "Customer silent-" + key + survey);
        later(Duration.ofDays(7));
        runDueJobs();
        assertThat(directory.find(silent).orElseThrow().lifecycleStage()).isEqualTo(LifecycleStage.DORMANT);
        assertThat(directory.find(noOpenid).orElseThrow().lifecycleStage()).isEqualTo(LifecycleStage.DORMANT);
        for (long customer : List.of(replies, buys)) {
            assertThat(messagesTo(customer)).hasSize(1);
            assertThat(directory.find(customer).orElseThrow().lifecycleStage()).isNotEqualTo(LifecycleStage.DORMANT);
        }
    }

    @Test
    void salesFollowUpWithEscalation() {
        String key = publishTemplate("sales-follow-up");
        long keen = customer("keen-" + key);
        long cold = customer("cold-" + key);
        long slow = customer("slow-" + key);
        int crmTasksBefore = crm("POST /tasks").size();
        for (long customer : List.of(keen, cold, slow)) {
            event(customer, "quote_opened", "{\"quote\": \"Q-2026-118\"}");
        }
        runDueJobs();
        assertThat(crm("POST /tasks")).hasSize(crmTasksBefore + 3);
        List<StaffTasks.StaffTask> inbox = staffTasks.inbox("zhangsan", List.of(), false).stream()
                .filter(t -> key.equals(t.journeyKey())).toList();
        assertThat(inbox).hasSize(3).allSatisfy(task -> {
            assertThat(task.outcomes()).containsExactly("interested", "not_interested", "no_answer");
            assertThat(task.due()).isEqualTo(now().plus(Duration.ofDays(1)));
        });
        staffTasks.complete(taskOf(inbox, keen), "interested", "zhangsan", List.of(), false);
        staffTasks.complete(taskOf(inbox, cold), "not_interested", "zhangsan", List.of(), false);
        runDueJobs();
        assertThat(crm("PATCH /contacts/" + keen)).hasSize(1).first().satisfies(m -> assertThat(m.request()).contains("opportunity"));
        assertThat(crm("PATCH /contacts/" + cold)).isEmpty();

        later(hours(25));
        runDueJobs();
        assertThat(crm("POST /tasks")).hasSize(crmTasksBefore + 4)
                .anySatisfy(m -> assertThat(m.request()).contains("sales-manager").contains("Customer slow-" + key));
        staffTasks.complete(taskOf(inbox, slow), "no_answer", "zhangsan", List.of(), false);
        runDueJobs();
        for (long customer : List.of(keen, cold, slow)) {
            assertThat(enrollment(key, customer).endReason()).isEqualTo("COMPLETED");
        }
    }

    private static String taskOf(List<StaffTasks.StaffTask> inbox, long customer) {
        return inbox.stream().filter(t -> t.customerId() == customer).findFirst().orElseThrow().id();
    }

    @Test
    void birthdayCare() {
        at(shanghai(25, 6));
        String key = publishTemplate("birthday-care");
        long member = customer("bday-" + key);
        long noOpenid = customerWithoutOpenid("bdaynoopenid-" + key);
        event(member, "birthday", "{}");
        event(noOpenid, "birthday", "{}");
        runDueJobs();
        assertThat(messagesTo(member)).as("not before 09:00").isEmpty();
        at(shanghai(25, 9));
        runDueJobs();
        assertThat(messagesTo(member)).containsExactly("Customer bday-" + key + "，生日快乐！20 元生日券已放入您的卡包。");
        assertThat(couponsFor(member)).isEqualTo(1);
        assertThat(messagesTo(noOpenid)).containsExactly("Customer bdaynoopenid-" + key + "，生日快乐！愿新的一岁一切顺利。");
    }

    @Test
    void repurchaseReminder() {
        String key = publishTemplate("repurchase-reminder");
        long runsOut = customer("runsout-" + key);
        long reorders = customer("reorders-" + key);
        long diapers = customer("diapers-" + key);
        event(runsOut, "order_paid", "{\"category\": \"milk-powder\"}");
        event(reorders, "order_paid", "{\"category\": \"milk-powder\"}");
        event(diapers, "order_paid", "{\"category\": \"diapers\"}");
        assertThat(enrollments.of(diapers)).isEmpty();
        runDueJobs();

        later(Duration.ofDays(20));
        event(reorders, "order_paid", "{\"category\": \"milk-powder\"}");
        List<Enrollments.Enrollment> cycles = enrollments.of(reorders);
        assertThat(cycles).hasSize(2);
        assertThat(cycles).filteredOn(e -> "GOAL".equals(e.endReason())).hasSize(1);
        assertThat(enrollments.active(reorders)).as("the next cycle").hasSize(1);
        runDueJobs();

        later(Duration.ofDays(5));
        runDueJobs();
        // 25 days after noon: the next 10:00 is the following morning
        assertThat(messagesTo(runsOut)).isEmpty();
        later(hours(22));
        runDueJobs();
        assertThat(messagesTo(runsOut)).containsExactly("Customer runsout-" + key + "，上次买的奶粉快喝完了吧？现在回购享 95 折：https://example.com/reorder");
        assertThat(messagesTo(reorders)).as("bought again before running out").isEmpty();
        // the next cycle: 25 days after the second order (day 20), then the following 10:00
        later(Duration.ofDays(19).plus(hours(2)));
        runDueJobs();
        assertThat(messagesTo(reorders)).isEmpty();
        later(hours(22));
        runDueJobs();
        assertThat(messagesTo(reorders)).hasSize(1);
    }

    @Test
    void memberTiers() {
        String key = publishTemplate("member-tier");
        long gold = customer("gold-" + key);
        long silver = customer("silver-" + key);
        long regular = customer("regular-" + key);
        directory.updateProfiles(List.of(gold, silver, regular), List.of(
                new CustomerDirectory.ProfilePatch(null, null, null, 6000L, null, null),
                new CustomerDirectory.ProfilePatch(null, null, null, 2000L, null, null),
                new CustomerDirectory.ProfilePatch(null, null, null, 100L, null, null)));
        for (long customer : List.of(gold, silver, regular)) {
            event(customer, "order_paid", "{\"amount\": 100}");
        }
        runDueJobs();
        assertThat(tier(gold)).isEqualTo("gold");
        assertThat(tier(silver)).isEqualTo("silver");
        assertThat(tier(regular)).isEqualTo("regular");

        later(Duration.ofDays(50));
        event(gold, "order_paid", "{\"amount\": 100}");
        runDueJobs();
        assertThat(enrollments.of(gold)).filteredOn(e -> "EXIT".equals(e.endReason())).hasSize(1);

        later(Duration.ofDays(30));
        runDueJobs();
        String care = "，您的会员等级将在 10 天后调整，这期间任意下单即可保级。";
        assertThat(messagesTo(silver)).containsExactly("Customer silver-" + key + care);
        assertThat(messagesTo(gold)).as("ordered again on day 50").isEmpty();
        later(Duration.ofDays(10));
        runDueJobs();
        assertThat(tier(silver)).isEqualTo("regular");
        assertThat(tier(regular)).isEqualTo("regular");
        assertThat(tier(gold)).isEqualTo("gold");

        later(Duration.ofDays(40));
        runDueJobs();
        assertThat(messagesTo(gold)).containsExactly("Customer gold-" + key + care);
        later(Duration.ofDays(10));
        runDueJobs();
        assertThat(tier(gold)).isEqualTo("silver");
    }

    private String tier(long customer) {
        return directory.find(customer).orElseThrow().memberTier();
    }

    @Test
    void webinarFunnel() {
        String key = publishTemplate("webinar-funnel");
        long buyer = customer("buyer-" + key);
        long browser = customer("browser-" + key);
        long noShow = customer("noshow-" + key);
        for (long customer : List.of(buyer, browser, noShow)) {
            event(customer, "webinar_registered", "{\"webinar\": \"2026-12-01 CDP\"}");
        }
        runDueJobs();
        String confirmation = "，报名成功！直播开始前我们会再提醒您。";
        assertThat(messagesTo(buyer)).containsExactly("Customer buyer-" + key + confirmation);

        later(Duration.ofDays(1));
        event(buyer, "webinar_checked_in", "{}");
        event(browser, "webinar_checked_in", "{}");
        runDueJobs();
        later(hours(2));
        runDueJobs();
        assertThat(messagesTo(buyer)).containsExactly("Customer buyer-" + key + confirmation,
                "Customer buyer-" + key + "，感谢参加直播！课件在这里：https://example.com/webinar/slides");
        List<StaffTasks.StaffTask> inbox = staffTasks.inbox("zhangsan", List.of(), false).stream()
                .filter(t -> key.equals(t.journeyKey())).toList();
        staffTasks.complete(taskOf(inbox, buyer), "opportunity", "zhangsan", List.of(), false);
        staffTasks.complete(taskOf(inbox, browser), "nurture", "zhangsan", List.of(), false);
        runDueJobs();
        assertThat(crm("PATCH /contacts/" + buyer)).hasSize(1);
        assertThat(crm("PATCH /contacts/" + browser)).isEmpty();

        later(Duration.ofDays(1));
        runDueJobs();
        assertThat(messagesTo(noShow)).containsExactly("Customer noshow-" + key + confirmation,
                "Customer noshow-" + key + "，错过了直播？回放在这里：https://example.com/webinar/recording");

        Map<String, JourneyStats.NodeStats> funnel = stats.of(key, 1).nodes();
        assertThat(funnel.get("confirm").passed()).isEqualTo(3);
        assertThat(funnel.get("checkedIn").passed()).isEqualTo(2);
        assertThat(funnel.get("qualify").passed()).isEqualTo(2);
        assertThat(funnel.get("opportunity").passed()).isEqualTo(1);
        assertThat(funnel.get("recording").passed()).isEqualTo(1);
    }
}
