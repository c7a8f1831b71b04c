package org.workforcewatch.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/** One small, valid file per dataset, in load order: each refers only to what comes before it. */
public final class Fixtures {

    public static final Map<String, String> VALID = new LinkedHashMap<>();

    static {
        VALID.put("teams", """
                team_id,team_name,service,team_type,parent_team_id
                T1,Assessment North,Front Door,assessment,
                T2,Out of Hours,Front Door,out_of_hours,T1
                """);
        VALID.put("staff", """
                staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date,agency_name,agency_hourly_rate
                S1,T1,social_worker,permanent,1,2022-01-10,,,Y,2015-07-01,,
                S2,T1,social_worker,agency,0.8,2023-03-01,,,Y,2022-07-01,Hays,48.50
                S3,T2,senior_practitioner,fixed_term,1,2020-05-01,2024-06-30,resigned,N,2010-07-01,,
                """);
        VALID.put("establishment", """
                team_id,role,funded_fte,effective_from
                T1,social_worker,4.5,2022-01-01
                T2,senior_practitioner,1,2022-01-01
                """);
        VALID.put("allocations", """
                allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason
                A1,C1,S1,cin,2024-01-05,,
                A2,C2,S2,cp,2024-02-05,2024-05-01,LEFTRL
                """);
        VALID.put("referrals", """
                referral_id,child_id,team_id,referral_date,allocated_date
                R1,C1,T1,2024-01-02,2024-01-05
                R2,C3,T1,2024-11-20,
                """);
        VALID.put("children_in_care", """
                child_id,date_of_birth,period_start,period_end,latest_assessment_date
                C4,2008-03-01,2020-06-01,,2024-02-01
                """);
        VALID.put("care_leavers", """
                child_id,date_of_birth,eligibility,pa_staff_id,pa_allocated_date,in_touch,latest_contact_date,pathway_plan_review_date
                C5,2005-01-01,former_relevant,S1,2023-01-01,yes,2024-10-01,2024-06-01
                """);
        VALID.put("supervision", """
                staff_id,supervision_date,kind
                S1,2024-10-01,reflective
                S1,2024-11-01,
                """);
        VALID.put("training", """
                staff_id,course,due_date,completed_date
                S1,induction,2022-04-10,2022-03-01
                S1,practice_model,2022-04-10,
                """);
        VALID.put("absence", """
                staff_id,start_date,end_date,reason,working_days_lost
                S1,2024-03-04,2024-03-08,sickness,
                S1,2024-05-01,2024-05-01,other,0.5
                """);
        VALID.put("shift_requirements", """
                team_id,shift,required_staff
                T2,ooh_night,2
                """);
        VALID.put("shifts", """
                shift_date,team_id,shift,staff_id
                2024-11-25,T2,ooh_night,S3
                """);
        VALID.put("benchmarks", """
                year,area_code,area_name,geographic_level,measure,value
                2024,E92000001,England,national,turnover_rate,13.9
                """);
        VALID.put("agency_assignments", """
                staff_id,start_date,role_category,agency_name,hourly_rate,planned_end_date,end_date,notice_given_date,notice_weeks,project_team,project_team_name,swe_number,approved_by,approved_at,approval_reason
                S2,2023-03-01,social_worker,Hays,48.50,2025-03-31,,,,N,,SW0000012345,Head of Service,2023-02-20,No permanent applicant
                """);
    }

    private Fixtures() {
    }
}
