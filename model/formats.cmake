# ev_formats: strict JSON helpers (ev_json) and the run record (ev_record). See docs/formats.md.
add_library(ev_formats STATIC
  ${CMAKE_CURRENT_LIST_DIR}/ev_json.c
  ${CMAKE_CURRENT_LIST_DIR}/ev_record.c ${CMAKE_CURRENT_LIST_DIR}/ev_record_write.c
  ${CMAKE_CURRENT_LIST_DIR}/ev_record_host.c)
target_include_directories(ev_formats PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(ev_formats PUBLIC ev_common PkgConfig::CJSON ${MATH_LIB})
set_target_properties(ev_formats PROPERTIES POSITION_INDEPENDENT_CODE ON)
