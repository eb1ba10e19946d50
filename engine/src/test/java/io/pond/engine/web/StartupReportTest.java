package io.pond.engine.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupReportTest {

    @Test
    void theDatabaseShownNeverCarriesAPassword() {
        assertThat(StartupReport.withoutSecrets("jdbc:postgresql://db:5432/pond?user=pond&password=s3cret"))
                .isEqualTo("jdbc:postgresql://db:5432/pond");
        assertThat(StartupReport.withoutSecrets("jdbc:postgresql://pond:s3cret@db:5432/pond"))
                .isEqualTo("jdbc:postgresql://db:5432/pond");
        assertThat(StartupReport.withoutSecrets("jdbc:h2:file:./pond-data/pond;DB_CLOSE_ON_EXIT=FALSE;PASSWORD=x"))
                .isEqualTo("jdbc:h2:file:./pond-data/pond");
    }
}
