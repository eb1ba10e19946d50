package io.pond.engine.importing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.pond.engine.EngineTestApplication;
import io.pond.engine.customer.AttributeDefinition;
import io.pond.engine.customer.AttributeType;
import io.pond.engine.customer.Customer;
import io.pond.engine.customer.CustomerAttributes;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.customer.LifecycleStage;
import io.pond.engine.customer.TagSource;
import io.pond.engine.segment.SegmentCondition;
import io.pond.engine.segment.Segments;
import io.pond.engine.test.PostgresTestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** CSV import and export of customers on PostgreSQL. */
@SpringBootTest(classes = EngineTestApplication.class, properties = {"pond.admin.password=Pond-Pass-2026",
        "camunda.bpm.job-execution.enabled=false"})
class CustomerImportIT {

    private static final PostgresTestDatabase DATABASE = PostgresTestDatabase.create();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DATABASE.register(registry);
    }

    @Autowired CustomerImport imports;
    @Autowired CustomerExport export;
    @Autowired CustomerDirectory directory;
    @Autowired CustomerAttributes attributes;
    @Autowired CustomerTags tags;
    @Autowired Segments segments;
    @Autowired JdbcTemplate jdbc;
    @TempDir Path folder;

    @BeforeEach
    void attributes() {
        attributes.define(new AttributeDefinition("city", "City", "城市", AttributeType.STRING, null));
        attributes.define(new AttributeDefinition("baby_birthday", "Baby's birthday", "宝宝生日", AttributeType.DATE, null));
    }

    @Test
    void validRowsAreImportedAndEachBadRowIsReportedWithItsColumn() throws Exception {
        Path file = write("keep.csv", """
                phone,email,display_name,lifecycle_stage,points,tags,city,baby_birthday
                13811110001,,Li Lei,复购,120,VIP:Gold; Store:Store 12,Shanghai,2025-03-01
                13811110002,not-an-email,Han Meimei,REPEAT,10,,Hangzhou,
                ,,Nobody,,,,,
                13811110003,c@example.com,Wang,sleeping,abc,,,yesterday
                13811110004,d@example.com,Zhao,PROSPECT,0,VIP:Gold,Wuhan,2024-12-31
                """, StandardCharsets.UTF_8);
        ImportJob job = imports.importNow(file, "keep.csv", ImportMode.KEEP_VALID, "test");

        assertThat(job.status()).isEqualTo(ImportJob.Status.DONE);
        assertThat(job.rowsRead()).isEqualTo(5);
        assertThat(job.rowsImported()).isEqualTo(2);
        assertThat(job.rowsFailed()).isEqualTo(3);
        assertThat(job.progress()).isEqualTo(1.0);

        long li = customer(IdentityType.PHONE, "+8613811110001");
        Customer profile = directory.find(li).orElseThrow();
        assertThat(profile.displayName()).isEqualTo("Li Lei");
        assertThat(profile.lifecycleStage()).isEqualTo(LifecycleStage.REPEAT);
        assertThat(profile.points()).isEqualTo(120);
        assertThat(attributes.of(li)).containsEntry("city", "Shanghai")
                .containsEntry("baby_birthday", java.time.LocalDate.of(2025, 3, 1));
        assertThat(tags.tagsOf(li)).extracting(t -> t.tag().label() + "/" + t.source())
                .containsExactlyInAnyOrder("VIP: Gold/IMPORT", "Store: Store 12/IMPORT");
        assertThat(directory.findByIdentity(Identity.of(IdentityType.PHONE, "13811110002"))).as("bad row not imported").isEmpty();

        StringWriter report = new StringWriter();
        imports.writeErrors(job.id(), report);
        assertThat(report.toString().lines()).containsExactly(
                "row,column,problem",
                "2,email,is not an e-mail address",
                "3,,\"no identity: fill at least one of [wecom_external_userid, wechat_unionid, wechat_openid, phone, member_id, email]\"",
                "4,lifecycle_stage,\"'sleeping' is not a lifecycle stage; use PROSPECT, FIRST_PURCHASE, REPEAT, DORMANT or CHURNED (or 潜在, 首购, 复购, 沉睡, 流失)\"",
                "4,points,\"points must be a whole number, not 'abc'\"",
                "4,baby_birthday,\"baby_birthday must be a date like 2026-11-25, not 'yesterday'\"");
    }

    @Test
    void stopAtTheFirstErrorImportsNothingAndSaysWhere() throws Exception {
        Path file = write("stop.csv", """
                member_id,display_name
                STOP-1,First
                STOP-2,Second
                STOP-3,
                ,Fourth
                STOP-5,Fifth
                """, StandardCharsets.UTF_8);
        ImportJob job = imports.importNow(file, "stop.csv", ImportMode.STOP_AT_FIRST_ERROR, "test");
        assertThat(job.status()).isEqualTo(ImportJob.Status.STOPPED);
        assertThat(job.message()).startsWith("Row 4: no identity").endsWith("Nothing was imported.");
        assertThat(directory.findByIdentity(new Identity(IdentityType.MEMBER_ID, "STOP-1"))).isEmpty();
    }

    @Test
    void anUnknownColumnFailsTheImportBeforeAnyRow() throws Exception {
        Path file = write("header.csv", "phone,shoe_size\n13811119999,42\n", StandardCharsets.UTF_8);
        ImportJob job = imports.importNow(file, "header.csv", ImportMode.KEEP_VALID, "test");
        assertThat(job.status()).isEqualTo(ImportJob.Status.FAILED);
        assertThat(job.message()).contains("'shoe_size' is neither an identity");
        assertThat(job.rowsRead()).isZero();
    }

    @Test
    void aFileSavedByChineseExcelIsReadAsGb18030AndAByteOrderMarkIsSkipped() throws Exception {
        Path gbk = write("gbk.csv", "member_id,display_name,city\nGBK-1,张伟,北京\n", Charset.forName("GB18030"));
        imports.importNow(gbk, "gbk.csv", ImportMode.KEEP_VALID, "test");
        long zhang = customer(IdentityType.MEMBER_ID, "GBK-1");
        assertThat(directory.find(zhang).orElseThrow().displayName()).isEqualTo("张伟");
        assertThat(attributes.of(zhang)).containsEntry("city", "北京");

        Path bom = write("bom.csv", "\uFEFFmember_id,display_name\nBOM-1,李娜\n", StandardCharsets.UTF_8);
        ImportJob job = imports.importNow(bom, "bom.csv", ImportMode.KEEP_VALID, "test");
        assertThat(job.rowsImported()).isOne();
        assertThat(directory.find(customer(IdentityType.MEMBER_ID, "BOM-1")).orElseThrow().displayName()).isEqualTo("李娜");
    }

    @Test
    void aLargeFileIsImportedInChunksAndImportingItAgainDuplicatesNothing() throws Exception {
        StringBuilder csv = new StringBuilder("member_id,phone,display_name,tags\n");
        int rows = CustomerImport.CHUNK * 5 + 17;
        for (int i = 0; i < rows; i++) {
            csv.append("BULK-").append(i).append(",1370000").append(String.format("%04d", i)).append(",Customer ").append(i)
                    .append(",Campaign:Double 11\n");
        }
        Path file = write("bulk.csv", csv.toString(), StandardCharsets.UTF_8);
        Long before = jdbc.queryForObject("select count(*) from pond_customer", Long.class);
        ImportJob first = imports.importNow(file, "bulk.csv", ImportMode.STOP_AT_FIRST_ERROR, "test");
        assertThat(first.status()).isEqualTo(ImportJob.Status.DONE);
        assertThat(first.rowsImported()).isEqualTo(rows);
        assertThat(jdbc.queryForObject("select count(*) from pond_customer", Long.class)).isEqualTo(before + rows);

        ImportJob again = imports.importNow(file, "bulk.csv", ImportMode.KEEP_VALID, "test");
        assertThat(again.rowsImported()).isEqualTo(rows);
        assertThat(jdbc.queryForObject("select count(*) from pond_customer", Long.class)).isEqualTo(before + rows);
        CustomerTags.Tag campaign = tags.findTag("Campaign", "Double 11").orElseThrow();
        assertThat(segments.count(new SegmentCondition.HasTag(campaign.id()))).isEqualTo(rows);
    }

    @Test
    void anExportedSegmentImportsBackUnchanged() throws Exception {
        Path file = write("round.csv", """
                member_id,phone,email,display_name,lifecycle_stage,member_tier,points,timezone,owner_id,tags,city
                RT-1,13822220001;13822220002,rt1@example.com,"Chen, Jr.",REPEAT,GOLD,300,Asia/Hong_Kong,sales-7,"RT:A; RT:B",Shenzhen
                RT-2,,,Round Two,PROSPECT,,0,Asia/Shanghai,,RT:A,
                """, StandardCharsets.UTF_8);
        imports.importNow(file, "round.csv", ImportMode.STOP_AT_FIRST_ERROR, "test");
        CustomerTags.Tag a = tags.findTag("RT", "A").orElseThrow();

        StringWriter exported = new StringWriter();
        long written = export.write(new SegmentCondition.HasTag(a.id()), exported, false);
        assertThat(written).isEqualTo(2);
        String csv = exported.toString();
        assertThat(csv).contains("+8613822220001;+8613822220002").contains("\"Chen, Jr.\"").contains("RT:A; RT:B");

        jdbc.update("update pond_customer set display_name = 'changed', points = 1 where id = ?",
                customer(IdentityType.MEMBER_ID, "RT-1"));
        Path back = write("back.csv", csv, StandardCharsets.UTF_8);
        ImportJob reimport = imports.importNow(back, "back.csv", ImportMode.STOP_AT_FIRST_ERROR, "test");
        assertThat(reimport.status()).as(reimport.message()).isEqualTo(ImportJob.Status.DONE);
        Customer chen = directory.find(customer(IdentityType.MEMBER_ID, "RT-1")).orElseThrow();
        assertThat(chen.displayName()).isEqualTo("Chen, Jr.");
        assertThat(chen.points()).isEqualTo(300);
        assertThat(chen.timezone()).isEqualTo("Asia/Hong_Kong");

        StringWriter masked = new StringWriter();
        export.write(new SegmentCondition.HasTag(a.id()), masked, true);
        assertThat(masked.toString()).contains("+86138****0001").doesNotContain("13822220001");
        assertThat(tags.tagsOf(chen.id())).allSatisfy(t -> assertThat(t.source()).isEqualTo(TagSource.IMPORT));
    }

    private long customer(IdentityType type, String value) {
        return directory.findByIdentity(new Identity(type, value)).orElseThrow();
    }

    private Path write(String name, String content, Charset charset) throws Exception {
        Path file = folder.resolve(name);
        Files.write(file, content.getBytes(charset));
        return file;
    }

}
