# libedgevirt-model (the GSL cost model, its file format and fit) and the edgevirt-model CLI.
# data/paper/model.json is compiled in as the default model (embed.cmake, no hand-copied text).
set(EV_PAPER_DIR "${EV_SOURCE_DIR}/data/paper")
set(EV_MODEL_EMBED_C "${CMAKE_CURRENT_BINARY_DIR}/ev_model_embedded.c")
add_custom_command(
  OUTPUT "${EV_MODEL_EMBED_C}"
  COMMAND ${CMAKE_COMMAND} -DIN=${EV_PAPER_DIR}/model.json -DOUT=${EV_MODEL_EMBED_C}
          -DSYMBOL=ev_model_embedded_json -P ${CMAKE_CURRENT_LIST_DIR}/embed.cmake
  DEPENDS "${EV_PAPER_DIR}/model.json" "${CMAKE_CURRENT_LIST_DIR}/embed.cmake"
  COMMENT "Embedding data/paper/model.json as the default model"
  VERBATIM)

add_library(edgevirt-model STATIC
  ${CMAKE_CURRENT_LIST_DIR}/ev_model.c
  ${CMAKE_CURRENT_LIST_DIR}/ev_model_json.c
  ${CMAKE_CURRENT_LIST_DIR}/ev_fit.c
  ${CMAKE_CURRENT_LIST_DIR}/ev_fit_inputs.c
  ${CMAKE_CURRENT_LIST_DIR}/ev_xval.c
  ${CMAKE_CURRENT_LIST_DIR}/ev_rescale.c
  ${EV_MODEL_EMBED_C})
target_include_directories(edgevirt-model PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(edgevirt-model PUBLIC ev_formats ev_common PkgConfig::GSL PkgConfig::CJSON
                      ${MATH_LIB})
set_target_properties(edgevirt-model PROPERTIES POSITION_INDEPENDENT_CODE ON)

add_executable(edgevirt-model-cli ${CMAKE_CURRENT_LIST_DIR}/edgevirt-model.c
               ${CMAKE_CURRENT_LIST_DIR}/edgevirt-model-crossval.c
               ${CMAKE_CURRENT_LIST_DIR}/edgevirt-model-rescale.c)
set_target_properties(edgevirt-model-cli PROPERTIES OUTPUT_NAME edgevirt-model)
target_link_libraries(edgevirt-model-cli PRIVATE edgevirt-model ev_plots)

# The paper's reconstructed calibration (data/paper/README.md): the generator writes the run
# records, `edgevirt-model fit` fits them into data/paper/model.json (then rebuild to embed it).
add_executable(ev_paper_gen ${CMAKE_CURRENT_LIST_DIR}/tools/ev_paper_gen.c)
target_link_libraries(ev_paper_gen PRIVATE edgevirt-model)
add_custom_target(paper_calibration
  COMMAND ev_paper_gen -o data/paper/runs.jsonl
  COMMAND edgevirt-model-cli fit data/paper/runs.jsonl -o data/paper/model.json
          --name paper-reconstructed
  WORKING_DIRECTORY ${EV_SOURCE_DIR}
  COMMENT "Regenerating data/paper/runs.jsonl and data/paper/model.json"
  VERBATIM)
