package cms.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void eachRoleAllowsItsOwnAndTheLesserActions() {
        assertTrue(Role.VIEWER.allows(Role.Action.READ));
        assertFalse(Role.VIEWER.allows(Role.Action.OPERATE));
        assertFalse(Role.VIEWER.allows(Role.Action.ADMINISTER));
        assertTrue(Role.OPERATOR.allows(Role.Action.OPERATE));
        assertFalse(Role.OPERATOR.allows(Role.Action.ADMINISTER));
        assertTrue(Role.ADMIN.allows(Role.Action.ADMINISTER));
        assertEquals(Role.VIEWER, Role.Action.READ.least());
        assertEquals(Role.OPERATOR, Role.Action.OPERATE.least());
        assertEquals(Role.ADMIN, Role.Action.ADMINISTER.least());
    }

    @Test
    void rolesParseInAnyCaseAndNothingElse() {
        assertEquals(Optional.of(Role.OPERATOR), Role.parse(" Operator "));
        assertEquals(Optional.empty(), Role.parse("root"));
        assertEquals(Optional.empty(), Role.parse(null));
        assertEquals("viewer, operator, admin", Role.choices());
    }
}
