# Written by `python -m conflict_sim.layouts` (layouts.py says why): do not edit.

cdef extern from *:
    """
    #define CONFLICT_SIM_MEMBER(field, name) PyObject *field;

    typedef struct {
        const char *name;
        Py_ssize_t offset;
    } conflict_sim_slot;

    /* Whether `cls` has exactly the `n` object slots of `slots`, each at its offset, and is `size` bytes
       (so no field beyond them): every declared read and write then lands on the field it names. */
    static int conflict_sim_slots_match(PyObject *cls, const conflict_sim_slot *slots, Py_ssize_t n,
                                        Py_ssize_t size) {
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *descriptor = PyObject_GetAttrString(cls, slots[i].name);
            int ok = descriptor && Py_IS_TYPE(descriptor, &PyMemberDescr_Type)
                     && ((PyMemberDescrObject *)descriptor)->d_member->offset == slots[i].offset
                     && ((PyMemberDescrObject *)descriptor)->d_member->type == Py_T_OBJECT_EX;
            Py_XDECREF(descriptor);
            PyErr_Clear();
            if (!ok) return 0;
        }
        return ((PyTypeObject *)cls)->tp_basicsize == size;
    }
    """


cdef extern from *:
    """
    #define CONFLICT_SIM_ISSUE_FIELDS(X) \
        X(born, "born") \
        X(case_, "case") \
        X(category, "category") \
        X(end_level, "end_level") \
        X(ended, "ended") \
        X(epoch, "epoch") \
        X(event, "event") \
        X(first_channel, "first_channel") \
        X(group, "group") \
        X(household, "household") \
        X(last_office, "last_office") \
        X(level_needed, "level_needed") \
        X(litigable, "litigable") \
        X(mediable, "mediable") \
        X(merit, "merit") \
        X(overdue_since, "overdue_since") \
        X(pathway, "pathway") \
        X(reactivated_from, "reactivated_from") \
        X(reconsiderations, "reconsiderations") \
        X(replies, "replies") \
        X(reviews, "reviews") \
        X(severity, "severity") \
        X(skip_attempts, "skip_attempts") \
        X(state, "state") \
        X(strategic, "strategic") \
        X(submissions, "submissions") \
        X(terminated, "terminated") \
        X(uid, "uid") \
        X(window_until, "window_until")

    typedef struct {
        PyObject_HEAD
        CONFLICT_SIM_ISSUE_FIELDS(CONFLICT_SIM_MEMBER)
    } conflict_sim_IssueObject;

    #define CONFLICT_SIM_ISSUE_SLOT(field, name) {name, offsetof(conflict_sim_IssueObject, field)},
    static const conflict_sim_slot conflict_sim_Issue_slots[] = {
        CONFLICT_SIM_ISSUE_FIELDS(CONFLICT_SIM_ISSUE_SLOT)
    };

    static int conflict_sim_Issue_matches(PyObject *cls) {
        return conflict_sim_slots_match(cls, conflict_sim_Issue_slots,
                                        sizeof(conflict_sim_Issue_slots) / sizeof(conflict_sim_slot),
                                        sizeof(conflict_sim_IssueObject));
    }
    """
    bint _Issue_matches "conflict_sim_Issue_matches"(object cls)

    ctypedef class conflict_sim.issues.Issue [object conflict_sim_IssueObject, check_size ignore]:
        cdef object born
        cdef object case "case_"
        cdef object category
        cdef object end_level
        cdef object ended
        cdef object epoch
        cdef object event
        cdef object first_channel
        cdef object group
        cdef object household
        cdef object last_office
        cdef object level_needed
        cdef object litigable
        cdef object mediable
        cdef object merit
        cdef object overdue_since
        cdef object pathway
        cdef object reactivated_from
        cdef object reconsiderations
        cdef object replies
        cdef object reviews
        cdef object severity
        cdef object skip_attempts
        cdef object state
        cdef object strategic
        cdef object submissions
        cdef object terminated
        cdef object uid
        cdef object window_until


cdef extern from *:
    """
    #define CONFLICT_SIM_CASE_FIELDS(X) \
        X(accepted, "accepted") \
        X(campaign, "campaign") \
        X(channel, "channel") \
        X(copy, "copy") \
        X(due, "due") \
        X(extended, "extended") \
        X(issue, "issue") \
        X(justice_bonus, "justice_bonus") \
        X(kind, "kind") \
        X(leader, "leader") \
        X(office, "office") \
        X(overdue, "overdue") \
        X(priority, "priority") \
        X(received, "received") \
        X(rushed, "rushed")

    typedef struct {
        PyObject_HEAD
        CONFLICT_SIM_CASE_FIELDS(CONFLICT_SIM_MEMBER)
    } conflict_sim_CaseObject;

    #define CONFLICT_SIM_CASE_SLOT(field, name) {name, offsetof(conflict_sim_CaseObject, field)},
    static const conflict_sim_slot conflict_sim_Case_slots[] = {
        CONFLICT_SIM_CASE_FIELDS(CONFLICT_SIM_CASE_SLOT)
    };

    static int conflict_sim_Case_matches(PyObject *cls) {
        return conflict_sim_slots_match(cls, conflict_sim_Case_slots,
                                        sizeof(conflict_sim_Case_slots) / sizeof(conflict_sim_slot),
                                        sizeof(conflict_sim_CaseObject));
    }
    """
    bint _Case_matches "conflict_sim_Case_matches"(object cls)

    ctypedef class conflict_sim.cases.Case [object conflict_sim_CaseObject, check_size ignore]:
        cdef object accepted
        cdef object campaign
        cdef object channel
        cdef object copy
        cdef object due
        cdef object extended
        cdef object issue
        cdef object justice_bonus
        cdef object kind
        cdef object leader
        cdef object office
        cdef object overdue
        cdef object priority
        cdef object received
        cdef object rushed


cdef extern from *:
    """
    #define CONFLICT_SIM_PARAMS_FIELDS(X) \
        X(accept_limit_days, "accept_limit_days") \
        X(acceptance_intercept, "acceptance_intercept") \
        X(acceptance_justice, "acceptance_justice") \
        X(acceptance_legitimacy, "acceptance_legitimacy") \
        X(acceptance_severity, "acceptance_severity") \
        X(adaptive_manager, "adaptive_manager") \
        X(arrest_constant, "arrest_constant") \
        X(arrest_ratio_mode, "arrest_ratio_mode") \
        X(attendance_probability, "attendance_probability") \
        X(baoan_probability, "baoan_probability") \
        X(belief_learning_weight, "belief_learning_weight") \
        X(belief_prior_strength, "belief_prior_strength") \
        X(buyoff_merit_blind, "buyoff_merit_blind") \
        X(buyoff_probability, "buyoff_probability") \
        X(buyoffs_enabled, "buyoffs_enabled") \
        X(campaign_rejection, "campaign_rejection") \
        X(cases_per_staff_day, "cases_per_staff_day") \
        X(center_fix_probability, "center_fix_probability") \
        X(center_trust_gain, "center_trust_gain") \
        X(center_trust_loss, "center_trust_loss") \
        X(city_staff, "city_staff") \
        X(clock_mode, "clock_mode") \
        X(collective_issue_multiplier, "collective_issue_multiplier") \
        X(collective_large_people, "collective_large_people") \
        X(collective_min_people, "collective_min_people") \
        X(compensation_disclosure, "compensation_disclosure") \
        X(compensation_dispersion, "compensation_dispersion") \
        X(compensation_unit, "compensation_unit") \
        X(concession_prior, "concession_prior") \
        X(control_share, "control_share") \
        X(control_vision, "control_vision") \
        X(copy_deduplication, "copy_deduplication") \
        X(cost_collective, "cost_collective") \
        X(cost_court, "cost_court") \
        X(cost_grid, "cost_grid") \
        X(cost_hotline, "cost_hotline") \
        X(cost_letter, "cost_letter") \
        X(cost_mediation, "cost_mediation") \
        X(cost_nonnormal, "cost_nonnormal") \
        X(cost_online, "cost_online") \
        X(cost_review, "cost_review") \
        X(cost_skip_city, "cost_skip_city") \
        X(cost_skip_national, "cost_skip_national") \
        X(cost_skip_province, "cost_skip_province") \
        X(cost_visit_district, "cost_visit_district") \
        X(cost_visit_subdistrict, "cost_visit_subdistrict") \
        X(court_acceptance, "court_acceptance") \
        X(court_days_max, "court_days_max") \
        X(court_days_min, "court_days_min") \
        X(court_success, "court_success") \
        X(decision_delay_days, "decision_delay_days") \
        X(demonstration_probability, "demonstration_probability") \
        X(deprivation_weight, "deprivation_weight") \
        X(detention_max_days, "detention_max_days") \
        X(dialogue_threshold_shift, "dialogue_threshold_shift") \
        X(disruption_intercept, "disruption_intercept") \
        X(disruption_slope, "disruption_slope") \
        X(district, "district") \
        X(district_staff, "district_staff") \
        X(event_control_staff, "event_control_staff") \
        X(event_quiet_days, "event_quiet_days") \
        X(expectation_adjustment, "expectation_adjustment") \
        X(extension_limit_days, "extension_limit_days") \
        X(extension_probability, "extension_probability") \
        X(finality, "finality") \
        X(first_contact_priority, "first_contact_priority") \
        X(formal_reply_probability, "formal_reply_probability") \
        X(forward_limit_days, "forward_limit_days") \
        X(grid_capacity, "grid_capacity") \
        X(grid_detection, "grid_detection") \
        X(grid_households, "grid_households") \
        X(grid_level_rule, "grid_level_rule") \
        X(grid_quick_fix, "grid_quick_fix") \
        X(grid_visit_capacity, "grid_visit_capacity") \
        X(grid_visits_per_month, "grid_visits_per_month") \
        X(group_size_median, "group_size_median") \
        X(group_size_sigma, "group_size_sigma") \
        X(handle_limit_days, "handle_limit_days") \
        X(handling_cv, "handling_cv") \
        X(handling_mean_days, "handling_mean_days") \
        X(hearing_rate, "hearing_rate") \
        X(hierarchical_trust_gap, "hierarchical_trust_gap") \
        X(hierarchical_trust_share, "hierarchical_trust_share") \
        X(hostility_gain, "hostility_gain") \
        X(hostility_half_life_days, "hostility_half_life_days") \
        X(hotline_dispatch_accuracy, "hotline_dispatch_accuracy") \
        X(hotline_limit_days, "hotline_limit_days") \
        X(household_size, "household_size") \
        X(households_per_agent, "households_per_agent") \
        X(instigator_share, "instigator_share") \
        X(intercept_grievance, "intercept_grievance") \
        X(interception_base, "interception_base") \
        X(interception_enabled, "interception_enabled") \
        X(issue_rate, "issue_rate") \
        X(labour_rate_multiplier, "labour_rate_multiplier") \
        X(land_housing_rate_multiplier, "land_housing_rate_multiplier") \
        X(leader_bonus, "leader_bonus") \
        X(leader_days_per_month, "leader_days_per_month") \
        X(legitimacy_diffusion, "legitimacy_diffusion") \
        X(legitimacy_mean, "legitimacy_mean") \
        X(legitimacy_sd, "legitimacy_sd") \
        X(legitimacy_step_outcome, "legitimacy_step_outcome") \
        X(legitimacy_step_procedural, "legitimacy_step_procedural") \
        X(level_needed_community, "level_needed_community") \
        X(level_needed_district, "level_needed_district") \
        X(level_needed_subdistrict, "level_needed_subdistrict") \
        X(load_quality_penalty, "load_quality_penalty") \
        X(logit_beta, "logit_beta") \
        X(loyalty_weight, "loyalty_weight") \
        X(manager_step, "manager_step") \
        X(max_reconsiderations, "max_reconsiderations") \
        X(mediation_cases_per_mediator_day, "mediation_cases_per_mediator_day") \
        X(mediation_days, "mediation_days") \
        X(mediation_success, "mediation_success") \
        X(mediation_success_other, "mediation_success_other") \
        X(mediators_per_community, "mediators_per_community") \
        X(network_degree, "network_degree") \
        X(network_rewiring, "network_rewiring") \
        X(nonnormal_distrust_weight, "nonnormal_distrust_weight") \
        X(nonnormal_grievance_weight, "nonnormal_grievance_weight") \
        X(nonnormal_hostility_weight, "nonnormal_hostility_weight") \
        X(nonnormal_national_share, "nonnormal_national_share") \
        X(nonnormal_neighbour_loss, "nonnormal_neighbour_loss") \
        X(norm_nonnormal, "norm_nonnormal") \
        X(norm_skip, "norm_skip") \
        X(office_quality, "office_quality") \
        X(overdue_weight, "overdue_weight") \
        X(partly_reasonable_share, "partly_reasonable_share") \
        X(peer_imitation, "peer_imitation") \
        X(petition_reluctance, "petition_reluctance") \
        X(population, "population") \
        X(procedural_justice, "procedural_justice") \
        X(project_extra_groups, "project_extra_groups") \
        X(reactivation_probability, "reactivation_probability") \
        X(reasonable_share, "reasonable_share") \
        X(recognition, "recognition") \
        X(reconsider_days, "reconsider_days") \
        X(representative_organisation, "representative_organisation") \
        X(repression_legitimacy_loss, "repression_legitimacy_loss") \
        X(rereview_limit_days, "rereview_limit_days") \
        X(rereview_window_days, "rereview_window_days") \
        X(resolution_quality_gain, "resolution_quality_gain") \
        X(review_limit_days, "review_limit_days") \
        X(review_window_days, "review_window_days") \
        X(routing_accuracy, "routing_accuracy") \
        X(sanction_collective, "sanction_collective") \
        X(sanction_nonnormal, "sanction_nonnormal") \
        X(sanction_skip, "sanction_skip") \
        X(satisfaction_mode, "satisfaction_mode") \
        X(shock_day, "shock_day") \
        X(shock_days, "shock_days") \
        X(shock_mode, "shock_mode") \
        X(shock_size, "shock_size") \
        X(skip_trust_weight, "skip_trust_weight") \
        X(social_learning_weight, "social_learning_weight") \
        X(stake_weight, "stake_weight") \
        X(strategic_share, "strategic_share") \
        X(subdistrict_quality_factor, "subdistrict_quality_factor") \
        X(subdistrict_staff, "subdistrict_staff") \
        X(threshold_mean, "threshold_mean") \
        X(threshold_sd, "threshold_sd") \
        X(trust_half_life_days, "trust_half_life_days") \
        X(venting, "venting") \
        X(veto_enabled, "veto_enabled") \
        X(veto_threshold, "veto_threshold") \
        X(voice_threshold, "voice_threshold") \
        X(wave_category, "wave_category") \
        X(wave_day, "wave_day") \
        X(wave_days, "wave_days") \
        X(wave_multiplier, "wave_multiplier") \
        X(weight_collective, "weight_collective") \
        X(weight_nonnormal, "weight_nonnormal") \
        X(weight_on_time, "weight_on_time") \
        X(weight_overdue, "weight_overdue") \
        X(weight_satisfaction, "weight_satisfaction") \
        X(weight_skip, "weight_skip") \
        X(weight_substantive, "weight_substantive") \
        X(working_days_per_week, "working_days_per_week") \
        X(written_reasons, "written_reasons")

    typedef struct {
        PyObject_HEAD
        CONFLICT_SIM_PARAMS_FIELDS(CONFLICT_SIM_MEMBER)
    } conflict_sim_ParamsObject;

    #define CONFLICT_SIM_PARAMS_SLOT(field, name) {name, offsetof(conflict_sim_ParamsObject, field)},
    static const conflict_sim_slot conflict_sim_Params_slots[] = {
        CONFLICT_SIM_PARAMS_FIELDS(CONFLICT_SIM_PARAMS_SLOT)
    };

    static int conflict_sim_Params_matches(PyObject *cls) {
        return conflict_sim_slots_match(cls, conflict_sim_Params_slots,
                                        sizeof(conflict_sim_Params_slots) / sizeof(conflict_sim_slot),
                                        sizeof(conflict_sim_ParamsObject));
    }
    """
    bint _Params_matches "conflict_sim_Params_matches"(object cls)

    ctypedef class conflict_sim.params.Params [object conflict_sim_ParamsObject, check_size ignore]:
        cdef object accept_limit_days
        cdef object acceptance_intercept
        cdef object acceptance_justice
        cdef object acceptance_legitimacy
        cdef object acceptance_severity
        cdef object adaptive_manager
        cdef object arrest_constant
        cdef object arrest_ratio_mode
        cdef object attendance_probability
        cdef object baoan_probability
        cdef object belief_learning_weight
        cdef object belief_prior_strength
        cdef object buyoff_merit_blind
        cdef object buyoff_probability
        cdef object buyoffs_enabled
        cdef object campaign_rejection
        cdef object cases_per_staff_day
        cdef object center_fix_probability
        cdef object center_trust_gain
        cdef object center_trust_loss
        cdef object city_staff
        cdef object clock_mode
        cdef object collective_issue_multiplier
        cdef object collective_large_people
        cdef object collective_min_people
        cdef object compensation_disclosure
        cdef object compensation_dispersion
        cdef object compensation_unit
        cdef object concession_prior
        cdef object control_share
        cdef object control_vision
        cdef object copy_deduplication
        cdef object cost_collective
        cdef object cost_court
        cdef object cost_grid
        cdef object cost_hotline
        cdef object cost_letter
        cdef object cost_mediation
        cdef object cost_nonnormal
        cdef object cost_online
        cdef object cost_review
        cdef object cost_skip_city
        cdef object cost_skip_national
        cdef object cost_skip_province
        cdef object cost_visit_district
        cdef object cost_visit_subdistrict
        cdef object court_acceptance
        cdef object court_days_max
        cdef object court_days_min
        cdef object court_success
        cdef object decision_delay_days
        cdef object demonstration_probability
        cdef object deprivation_weight
        cdef object detention_max_days
        cdef object dialogue_threshold_shift
        cdef object disruption_intercept
        cdef object disruption_slope
        cdef object district
        cdef object district_staff
        cdef object event_control_staff
        cdef object event_quiet_days
        cdef object expectation_adjustment
        cdef object extension_limit_days
        cdef object extension_probability
        cdef object finality
        cdef object first_contact_priority
        cdef object formal_reply_probability
        cdef object forward_limit_days
        cdef object grid_capacity
        cdef object grid_detection
        cdef object grid_households
        cdef object grid_level_rule
        cdef object grid_quick_fix
        cdef object grid_visit_capacity
        cdef object grid_visits_per_month
        cdef object group_size_median
        cdef object group_size_sigma
        cdef object handle_limit_days
        cdef object handling_cv
        cdef object handling_mean_days
        cdef object hearing_rate
        cdef object hierarchical_trust_gap
        cdef object hierarchical_trust_share
        cdef object hostility_gain
        cdef object hostility_half_life_days
        cdef object hotline_dispatch_accuracy
        cdef object hotline_limit_days
        cdef object household_size
        cdef object households_per_agent
        cdef object instigator_share
        cdef object intercept_grievance
        cdef object interception_base
        cdef object interception_enabled
        cdef object issue_rate
        cdef object labour_rate_multiplier
        cdef object land_housing_rate_multiplier
        cdef object leader_bonus
        cdef object leader_days_per_month
        cdef object legitimacy_diffusion
        cdef object legitimacy_mean
        cdef object legitimacy_sd
        cdef object legitimacy_step_outcome
        cdef object legitimacy_step_procedural
        cdef object level_needed_community
        cdef object level_needed_district
        cdef object level_needed_subdistrict
        cdef object load_quality_penalty
        cdef object logit_beta
        cdef object loyalty_weight
        cdef object manager_step
        cdef object max_reconsiderations
        cdef object mediation_cases_per_mediator_day
        cdef object mediation_days
        cdef object mediation_success
        cdef object mediation_success_other
        cdef object mediators_per_community
        cdef object network_degree
        cdef object network_rewiring
        cdef object nonnormal_distrust_weight
        cdef object nonnormal_grievance_weight
        cdef object nonnormal_hostility_weight
        cdef object nonnormal_national_share
        cdef object nonnormal_neighbour_loss
        cdef object norm_nonnormal
        cdef object norm_skip
        cdef object office_quality
        cdef object overdue_weight
        cdef object partly_reasonable_share
        cdef object peer_imitation
        cdef object petition_reluctance
        cdef object population
        cdef object procedural_justice
        cdef object project_extra_groups
        cdef object reactivation_probability
        cdef object reasonable_share
        cdef object recognition
        cdef object reconsider_days
        cdef object representative_organisation
        cdef object repression_legitimacy_loss
        cdef object rereview_limit_days
        cdef object rereview_window_days
        cdef object resolution_quality_gain
        cdef object review_limit_days
        cdef object review_window_days
        cdef object routing_accuracy
        cdef object sanction_collective
        cdef object sanction_nonnormal
        cdef object sanction_skip
        cdef object satisfaction_mode
        cdef object shock_day
        cdef object shock_days
        cdef object shock_mode
        cdef object shock_size
        cdef object skip_trust_weight
        cdef object social_learning_weight
        cdef object stake_weight
        cdef object strategic_share
        cdef object subdistrict_quality_factor
        cdef object subdistrict_staff
        cdef object threshold_mean
        cdef object threshold_sd
        cdef object trust_half_life_days
        cdef object venting
        cdef object veto_enabled
        cdef object veto_threshold
        cdef object voice_threshold
        cdef object wave_category
        cdef object wave_day
        cdef object wave_days
        cdef object wave_multiplier
        cdef object weight_collective
        cdef object weight_nonnormal
        cdef object weight_on_time
        cdef object weight_overdue
        cdef object weight_satisfaction
        cdef object weight_skip
        cdef object weight_substantive
        cdef object working_days_per_week
        cdef object written_reasons


cdef extern from *:
    """
    #define CONFLICT_SIM_STREAMS_FIELDS(X) \
        X(arrivals_seed, "arrivals_seed") \
        X(collective, "collective") \
        X(decisions, "decisions") \
        X(district, "district") \
        X(grid, "grid") \
        X(handling, "handling") \
        X(manager, "manager")

    typedef struct {
        PyObject_HEAD
        CONFLICT_SIM_STREAMS_FIELDS(CONFLICT_SIM_MEMBER)
    } conflict_sim_StreamsObject;

    #define CONFLICT_SIM_STREAMS_SLOT(field, name) {name, offsetof(conflict_sim_StreamsObject, field)},
    static const conflict_sim_slot conflict_sim_Streams_slots[] = {
        CONFLICT_SIM_STREAMS_FIELDS(CONFLICT_SIM_STREAMS_SLOT)
    };

    static int conflict_sim_Streams_matches(PyObject *cls) {
        return conflict_sim_slots_match(cls, conflict_sim_Streams_slots,
                                        sizeof(conflict_sim_Streams_slots) / sizeof(conflict_sim_slot),
                                        sizeof(conflict_sim_StreamsObject));
    }
    """
    bint _Streams_matches "conflict_sim_Streams_matches"(object cls)

    ctypedef class conflict_sim.streams.Streams [object conflict_sim_StreamsObject, check_size ignore]:
        cdef object arrivals_seed
        cdef object collective
        cdef object decisions
        cdef object district
        cdef object grid
        cdef object handling
        cdef object manager


cdef extern from *:
    """
    #define CONFLICT_SIM_WORLDSTATE_FIELDS(X) \
        X(_grid_worker_at, "_grid_worker_at") \
        X(_issues_of, "_issues_of") \
        X(_latent, "_latent") \
        X(_mediation_at, "_mediation_at") \
        X(_office_at, "_office_at") \
        X(_open_groups, "_open_groups") \
        X(_pending, "_pending") \
        X(_state_counts, "_state_counts") \
        X(agenda, "agenda") \
        X(day, "day") \
        X(district, "district") \
        X(households, "households") \
        X(log, "log") \
        X(manager, "manager") \
        X(params, "params") \
        X(streams, "streams")

    typedef struct {
        PyObject_HEAD
        CONFLICT_SIM_WORLDSTATE_FIELDS(CONFLICT_SIM_MEMBER)
    } conflict_sim_WorldStateObject;

    #define CONFLICT_SIM_WORLDSTATE_SLOT(field, name) {name, offsetof(conflict_sim_WorldStateObject, field)},
    static const conflict_sim_slot conflict_sim_WorldState_slots[] = {
        CONFLICT_SIM_WORLDSTATE_FIELDS(CONFLICT_SIM_WORLDSTATE_SLOT)
    };

    static int conflict_sim_WorldState_matches(PyObject *cls) {
        return conflict_sim_slots_match(cls, conflict_sim_WorldState_slots,
                                        sizeof(conflict_sim_WorldState_slots) / sizeof(conflict_sim_slot),
                                        sizeof(conflict_sim_WorldStateObject));
    }
    """
    bint _WorldState_matches "conflict_sim_WorldState_matches"(object cls)

    ctypedef class conflict_sim.state.WorldState [object conflict_sim_WorldStateObject, check_size ignore]:
        cdef object _grid_worker_at
        cdef object _issues_of
        cdef object _latent
        cdef object _mediation_at
        cdef object _office_at
        cdef object _open_groups
        cdef object _pending
        cdef object _state_counts
        cdef object agenda
        cdef object day
        cdef object district
        cdef object households
        cdef object log
        cdef object manager
        cdef object params
        cdef object streams


cdef extern from *:
    """
    #define CONFLICT_SIM_OFFICESTATE_FIELDS(X) \
        X(_terms, "_terms") \
        X(_terms_of, "_terms_of") \
        X(backlog, "backlog") \
        X(level, "level") \
        X(model, "model") \
        X(overdue, "overdue") \
        X(received, "received") \
        X(reviewer, "reviewer") \
        X(server, "server")

    typedef struct {
        PyObject_HEAD
        CONFLICT_SIM_OFFICESTATE_FIELDS(CONFLICT_SIM_MEMBER)
    } conflict_sim_OfficeStateObject;

    #define CONFLICT_SIM_OFFICESTATE_SLOT(field, name) {name, offsetof(conflict_sim_OfficeStateObject, field)},
    static const conflict_sim_slot conflict_sim_OfficeState_slots[] = {
        CONFLICT_SIM_OFFICESTATE_FIELDS(CONFLICT_SIM_OFFICESTATE_SLOT)
    };

    static int conflict_sim_OfficeState_matches(PyObject *cls) {
        return conflict_sim_slots_match(cls, conflict_sim_OfficeState_slots,
                                        sizeof(conflict_sim_OfficeState_slots) / sizeof(conflict_sim_slot),
                                        sizeof(conflict_sim_OfficeStateObject));
    }
    """
    bint _OfficeState_matches "conflict_sim_OfficeState_matches"(object cls)

    ctypedef class conflict_sim.state.OfficeState [object conflict_sim_OfficeStateObject, check_size ignore]:
        cdef object _terms
        cdef object _terms_of
        cdef object backlog
        cdef object level
        cdef object model
        cdef object overdue
        cdef object received
        cdef object reviewer
        cdef object server


cdef extern from *:
    """
    #define CONFLICT_SIM_GRIDWORKERSTATE_FIELDS(X) \
        X(_chance, "_chance") \
        X(_chance_of, "_chance_of") \
        X(agents, "agents") \
        X(grid, "grid") \
        X(handled, "handled") \
        X(model, "model") \
        X(server, "server")

    typedef struct {
        PyObject_HEAD
        CONFLICT_SIM_GRIDWORKERSTATE_FIELDS(CONFLICT_SIM_MEMBER)
    } conflict_sim_GridWorkerStateObject;

    #define CONFLICT_SIM_GRIDWORKERSTATE_SLOT(field, name) {name, offsetof(conflict_sim_GridWorkerStateObject, field)},
    static const conflict_sim_slot conflict_sim_GridWorkerState_slots[] = {
        CONFLICT_SIM_GRIDWORKERSTATE_FIELDS(CONFLICT_SIM_GRIDWORKERSTATE_SLOT)
    };

    static int conflict_sim_GridWorkerState_matches(PyObject *cls) {
        return conflict_sim_slots_match(cls, conflict_sim_GridWorkerState_slots,
                                        sizeof(conflict_sim_GridWorkerState_slots) / sizeof(conflict_sim_slot),
                                        sizeof(conflict_sim_GridWorkerStateObject));
    }
    """
    bint _GridWorkerState_matches "conflict_sim_GridWorkerState_matches"(object cls)

    ctypedef class conflict_sim.state.GridWorkerState [object conflict_sim_GridWorkerStateObject, check_size ignore]:
        cdef object _chance
        cdef object _chance_of
        cdef object agents
        cdef object grid
        cdef object handled
        cdef object model
        cdef object server


cdef extern from *:
    """
    #define CONFLICT_SIM_COMMITTEESTATE_FIELDS(X) \
        X(backlog, "backlog") \
        X(cases, "cases") \
        X(model, "model") \
        X(neighbourhood, "neighbourhood") \
        X(server, "server")

    typedef struct {
        PyObject_HEAD
        CONFLICT_SIM_COMMITTEESTATE_FIELDS(CONFLICT_SIM_MEMBER)
    } conflict_sim_CommitteeStateObject;

    #define CONFLICT_SIM_COMMITTEESTATE_SLOT(field, name) {name, offsetof(conflict_sim_CommitteeStateObject, field)},
    static const conflict_sim_slot conflict_sim_CommitteeState_slots[] = {
        CONFLICT_SIM_COMMITTEESTATE_FIELDS(CONFLICT_SIM_COMMITTEESTATE_SLOT)
    };

    static int conflict_sim_CommitteeState_matches(PyObject *cls) {
        return conflict_sim_slots_match(cls, conflict_sim_CommitteeState_slots,
                                        sizeof(conflict_sim_CommitteeState_slots) / sizeof(conflict_sim_slot),
                                        sizeof(conflict_sim_CommitteeStateObject));
    }
    """
    bint _CommitteeState_matches "conflict_sim_CommitteeState_matches"(object cls)

    ctypedef class conflict_sim.state.CommitteeState [object conflict_sim_CommitteeStateObject, check_size ignore]:
        cdef object backlog
        cdef object cases
        cdef object model
        cdef object neighbourhood
        cdef object server


cdef inline void check_layouts() except *:
    """Raise ImportError if a class is not laid out as declared here."""
    for name, matches in (("conflict_sim.issues.Issue", _Issue_matches(Issue)), ("conflict_sim.cases.Case", _Case_matches(Case)), ("conflict_sim.params.Params", _Params_matches(Params)), ("conflict_sim.streams.Streams", _Streams_matches(Streams)), ("conflict_sim.state.WorldState", _WorldState_matches(WorldState)), ("conflict_sim.state.OfficeState", _OfficeState_matches(OfficeState)), ("conflict_sim.state.GridWorkerState", _GridWorkerState_matches(GridWorkerState)), ("conflict_sim.state.CommitteeState", _CommitteeState_matches(CommitteeState))):
        if not matches:
            raise ImportError(f"conflict_sim/layouts.pxd does not declare the fields of {name} as they are: "
                              "run python -m conflict_sim.layouts, then make")
