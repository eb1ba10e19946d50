package io.pond.engine.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PondRoleTest {

    @Test
    void eachRoleIsTheGroupOfTheSameName() {
        assertThat(PondRole.ofGroup("marketing-ops")).contains(PondRole.MARKETING_OPS);
        assertThat(PondRole.ofGroup("analyst")).contains(PondRole.ANALYST);
        assertThat(PondRole.ofGroup("viewer")).contains(PondRole.VIEWER);
        assertThat(PondRole.MARKETING_OPS.authority()).isEqualTo("ROLE_MARKETING_OPS");
    }

    @Test
    void camundasAdminGroupMakesAnAdminAndOtherGroupsGrantNothing() {
        assertThat(PondRole.ofGroup("camunda-admin")).contains(PondRole.ADMIN);
        assertThat(PondRole.ofGroup("accounting")).isEmpty();
        assertThat(PondRole.ofGroup("Admin")).as("group ids are case-sensitive").isEmpty();
    }
}
