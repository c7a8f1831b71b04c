package org.workforcewatch.returns;

/** A staff file and an agency register for 2025-Q1, worked by hand in AgencyReturnTest and shown in AgencyPageBrowserTest. */
public final class AgencyReturnFixtures {

    private AgencyReturnFixtures() {
    }

    public static final String STAFF = """
            staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date,agency_name,agency_hourly_rate
            A1,T1,social_worker,agency,1,2024-11-01,,,Y,2015-06-01,Hays,39.50
            A10,T1,social_worker,agency,1,2024-12-01,2025-01-31,end_of_contract,Y,2011-01-01,Reed,41
            A2,T1,social_worker,agency,1,2025-01-06,,,Y,2023-01-10,Reed,41
            A3,T1,senior_practitioner,agency,1,2025-01-13,2025-02-28,end_of_contract,Y,2012-01-01,Sanctuary,47
            A4,T1,team_manager,agency,1,2024-06-01,,,N,2008-05-01,Hays,60
            A5,T1,social_worker,permanent,1,2020-01-01,2024-12-20,resigned,Y,2016-01-01,,
            A5,T1,social_worker,agency,1,2025-02-03,,,Y,2016-01-01,Reed,40
            A6,T1,advanced_practitioner,agency,1,2024-11-04,2025-01-10,end_of_contract,Y,,Sanctuary,49
            A7,T1,social_worker,agency,1,2024-05-01,2024-12-31,end_of_contract,Y,2010-01-01,Hays,38
            A8,T1,social_worker,agency,1,2025-04-01,,,Y,2010-01-01,Hays,38
            A9,T1,service_manager,agency,0.5,2025-03-10,,,N,2000-01-01,=1+2 Staffing,50
            """;

    public static final String HEADER = "staff_id,start_date,role_category,agency_name,hourly_rate,planned_end_date,end_date,"
            + "notice_given_date,notice_weeks,project_team,project_team_name,swe_number,approved_by,approved_at,approval_reason\n";

    public static final String REGISTER = HEADER + """
            A1,2024-11-01,social_worker,Hays,39.50,2025-10-31,,,,N,,SW0000000001,,,
            A10,2024-12-01,social_worker,Reed,41.00,,2025-01-31,,4,N,,SW0000000010,,,
            A2,2025-01-06,social_worker,Reed,41.00,,,,,N,,SW0000000002,,,
            A3,2025-01-13,senior_social_worker,Sanctuary,47.00,2025-02-28,2025-02-28,2025-01-31,,N,,SW0000000003,Director CS,2025-01-20,Court deadline cover
            A4,2024-06-01,team_manager,Hays,60.00,,,,,Y,PT-North,,,,
            A5,2025-02-03,social_worker,Reed,40.00,,,,,N,,SW0000000005,,,
            A6,2024-11-04,advanced_practitioner,Sanctuary,49.00,,2025-01-10,,,N,,SW0000000006,,,
            A7,2024-05-01,social_worker,Hays,38.00,,2024-12-31,,4,N,,SW0000000007,,,
            A8,2025-04-01,social_worker,Hays,38.00,,,,,N,,SW0000000008,,,
            A9,2025-03-10,iro_cp_chair,=1+2 Staffing,50.00,,,,2,N,,sw1234567890,,,
            """;
}
