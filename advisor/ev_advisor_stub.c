/* ev_advisor_stub.c - keeps ev_advisor a library with a source of its own when only the
 * profile and simulator parts are built (no libedgevirt-model yet). */
typedef int ev_advisor_stub_unused;
