package org.workforcewatch.agency;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The council's region and the agency price caps of every region ({@code workforce.agency.*}), each cap for a role
 * category from a date. The Department has not published the amounts, so none are shipped: without caps for the
 * region the price-cap check answers "not known". Validated at start-up; a bad entry names its key.
 *
 * @param region    the council's region, one of {@link #REGIONS}; required once any caps are configured
 * @param priceCaps by region, the caps: role category, hourly rate (pay, employer's national insurance and the
 *                  apprenticeship levy, in pounds) and the date from which it is in force
 */
@ConfigurationProperties("workforce.agency")
public record AgencySettings(String region, Map<String, List<PriceCap>> priceCaps) {

    /** The regions of England, as the price caps are set. */
    public static final Set<String> REGIONS = Set.of("north_east", "north_west", "yorkshire_and_the_humber", "east_midlands",
            "west_midlands", "east_of_england", "london", "south_east", "south_west");

    /** The five role categories of the Department's agency return, as the register records them. */
    public static final List<String> ROLE_CATEGORIES = org.workforcewatch.staffing.AgencyRoleCategory.ids();

    /** One cap: the most an hour of a role category may cost from a date (until the next cap of the category). */
    public record PriceCap(String roleCategory, BigDecimal hourlyRate, LocalDate from) {
    }

    public AgencySettings {
        priceCaps = priceCaps == null ? Map.of() : Map.copyOf(new TreeMap<>(priceCaps));
        if (region != null && !REGIONS.contains(region)) {
            throw new IllegalArgumentException("workforce.agency.region: " + region + " is not a region of England; use one of "
                    + String.join(", ", sorted(REGIONS)));
        }
        for (Map.Entry<String, List<PriceCap>> e : priceCaps.entrySet()) {
            String key = "workforce.agency.price-caps." + e.getKey();
            if (!REGIONS.contains(e.getKey())) {
                throw new IllegalArgumentException(key + ": " + e.getKey() + " is not a region of England; use one of "
                        + String.join(", ", sorted(REGIONS)));
            }
            Set<String> seen = new HashSet<>();
            List<PriceCap> caps = e.getValue() == null ? List.of() : e.getValue();
            for (int i = 0; i < caps.size(); i++) {
                PriceCap cap = caps.get(i);
                String at = key + "[" + i + "]";
                if (cap == null || cap.roleCategory() == null || !ROLE_CATEGORIES.contains(cap.roleCategory())) {
                    throw new IllegalArgumentException(at + ".role-category must be one of " + String.join(", ", ROLE_CATEGORIES)
                            + ", got " + (cap == null ? null : cap.roleCategory()));
                }
                if (cap.hourlyRate() == null || cap.hourlyRate().signum() <= 0) {
                    throw new IllegalArgumentException(at + ".hourly-rate must be above 0, got " + cap.hourlyRate());
                }
                if (cap.hourlyRate().stripTrailingZeros().scale() > 2) {
                    throw new IllegalArgumentException(at + ".hourly-rate must be in pounds and pence, got " + cap.hourlyRate());
                }
                if (cap.from() == null) {
                    throw new IllegalArgumentException(at + ".from is required: the date from which the cap is in force");
                }
                if (!seen.add(cap.roleCategory() + " " + cap.from())) {
                    throw new IllegalArgumentException(at + ": a second cap for " + cap.roleCategory() + " from " + cap.from());
                }
            }
        }
        if (!priceCaps.isEmpty() && region == null) {
            throw new IllegalArgumentException("workforce.agency.region is required when price caps are configured: the caps"
                    + " of the council's region apply");
        }
        if (region != null && !priceCaps.isEmpty() && !priceCaps.containsKey(region)) {
            throw new IllegalArgumentException("workforce.agency.price-caps has no caps for the region " + region
                    + " (workforce.agency.region)");
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    /** The caps of the council's region, in the order of their role category and date; empty when none are configured. */
    public List<PriceCap> capsOfRegion() {
        List<PriceCap> caps = new ArrayList<>(region == null ? List.of() : priceCaps.getOrDefault(region, List.of()));
        caps.sort(java.util.Comparator.comparing((PriceCap c) -> ROLE_CATEGORIES.indexOf(c.roleCategory()))
                .thenComparing(PriceCap::from));
        return caps;
    }

    /** The caps of the council's region as the SQL functions of sql/V24 read them: a JSON array. */
    public String capsJson() {
        StringBuilder json = new StringBuilder("[");
        for (PriceCap c : capsOfRegion()) {
            if (json.length() > 1) {
                json.append(", ");
            }
            json.append("{\"role_category\": \"").append(c.roleCategory()).append("\", \"hourly_rate\": ")
                    .append(c.hourlyRate().setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString()).append(", \"from\": \"").append(c.from()).append("\"}");
        }
        return json.append("]").toString();
    }
}
