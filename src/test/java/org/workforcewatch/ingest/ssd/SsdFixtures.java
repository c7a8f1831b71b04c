package org.workforcewatch.ingest.ssd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A small SSD extract set as a SystemC extract writes it: datetime values, descriptions, sentinel dates. */
public final class SsdFixtures {

    public static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("ssd_department", """
                dept_team_id,dept_team_name,dept_team_parent_id,dept_team_parent_name
                D0,Front Door,,
                D1,Assessment North,D0,Front Door
                D2,Leaving Care,,Care Leavers
                """);
        TABLES.put("ssd_professionals", """
                prof_professional_id,prof_staff_id,prof_professional_name,prof_social_worker_registration_no,prof_professional_job_title,prof_professional_caseload,prof_professional_department,prof_full_time_equivalency,prof_agency_worker_flag
                P1,S1,Ann Example,SW123,Social Worker,12,Assessment North,1,
                P2,,Bob Example,SW456,Senior Practitioner,8,Somewhere Else,0.5,Y
                P3,S3,Cat Example,,Personal Adviser,0,leaving care,,N
                """);
        TABLES.put("ssd_cin_episodes", """
                cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_team,cine_close_date,cine_close_reason
                R1,C1,2024-01-02 00:00:00.000,N1,D1,,
                R2,C2,02/01/2024,N4,D1,2024-01-10 00:00:00,RC8
                R3,C3,2024-11-20,N1,D1,1900-01-01 00:00:00.000,
                """);
        TABLES.put("ssd_involvements", """
                invo_involvements_id,invo_professional_id,invo_professional_role_id,invo_professional_team,invo_involvement_start_date,invo_involvement_end_date,invo_worker_change_reason,invo_person_id,invo_referral_id
                I1,P1,CW,D1,2024-01-05 00:00:00.000,,,C1,R1
                I2,P2,CP,D1,2024-02-01,1900-01-01,LEFTRL,C1,
                I3,,CW,D1,2024-02-01,,,C4,
                I4,P3,16PLUS,D2,2023-06-01 09:30:00,,,C9,
                """);
        TABLES.put("ssd_care_leavers", """
                clea_table_id,clea_person_id,clea_care_leaver_eligibility,clea_care_leaver_in_touch,clea_care_leaver_latest_contact,clea_care_leaver_accommodation,clea_care_leaver_accom_suitable,clea_care_leaver_activity,clea_pathway_plan_review_date,clea_care_leaver_personal_advisor,clea_care_leaver_allocated_team,clea_care_leaver_worker_id
                9b2f6c1e-0001,C9,Former Relevant,REFU,2024-10-01 00:00:00.000,Independent living,Suitable,F2,1900-01-01 00:00:00.000,P3,D2,P3
                9b2f6c1e-0002,C10,No Current Eligibility,YES,,,,,2024-05-01,,,
                """);
    }

    private SsdFixtures() {
    }

    /** The tables zipped, in the order given (any order must load). */
    public static byte[] zip(Map<String, String> tables) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> t : tables.entrySet()) {
                zip.putNextEntry(new ZipEntry("extract/" + t.getKey() + ".csv"));
                zip.write(t.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
