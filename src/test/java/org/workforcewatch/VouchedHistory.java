package org.workforcewatch;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * For tests of definitions on hand-made fixtures: each fixture holds just what its rule needs (often no leaver,
 * so the staff file alone would vouch only for today), and the dates it asks about lie in the past. The council
 * vouches for the history (workforce.history.from), as a council with complete files would, so the rule under
 * test is what decides the figures. Coverage itself is tested without this (DataCoverageTest).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@TestPropertySource(properties = VouchedHistory.FROM)
public @interface VouchedHistory {
    String FROM = "workforce.history.from.all=2018-10-01";
}
