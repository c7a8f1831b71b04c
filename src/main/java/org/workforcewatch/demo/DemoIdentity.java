package org.workforcewatch.demo;

/**
 * What the synthetic demo authority is called wherever it is shown. It is a made-up council, so it is never named
 * after a real one; it compares itself with a real authority's published figures, and says whose.
 */
public final class DemoIdentity {

    /** The made-up council. */
    public static final String NAME = "Northbridge";
    /** The name as pages and the board pack show it, saying it is synthetic. */
    public static final String LABEL = NAME + " (synthetic demo)";
    /** Made up, and not an ONS area code (those are a letter and 8 digits): it can be no real council's. */
    public static final String CODE = "DEMO-NB";

    private DemoIdentity() {
    }

    /** One sentence saying that the demo is synthetic and whose published figures it is compared with. */
    public static String notice(String comparedWith) {
        return NAME + " is a synthetic demo authority (code " + CODE + ", not an ONS code): every person, team and figure"
                + " of it is made up" + (comparedWith == null ? "." : ". It is compared with " + comparedWith
                + "'s published figures.");
    }
}
