# The TensorRT helper binary onnx-inspector-trt<MAJOR>, included by helper/CMakeLists.txt when TENSORRT_INCLUDE_DIR
# is set. It compiles against TensorRT's headers only: libnvinfer, libnvonnxparser and the CUDA driver are opened at
# run time (dlopen), so nothing of TensorRT or CUDA is linked (only helper_core and -ldl).

set(_oi_helper_root "${CMAKE_CURRENT_LIST_DIR}/..")
set(_oi_version_header "${TENSORRT_INCLUDE_DIR}/NvInferVersion.h")
if(NOT EXISTS "${_oi_version_header}")
  message(FATAL_ERROR "TENSORRT_INCLUDE_DIR=${TENSORRT_INCLUDE_DIR}: NvInferVersion.h not found there")
endif()
file(READ "${_oi_version_header}" _oi_version_text)

# 8.x: "#define NV_TENSORRT_MAJOR 8"; 10.x and 11.x: "#define NV_TENSORRT_MAJOR TRT_MAJOR_ENTERPRISE" with
# "#define TRT_MAJOR_ENTERPRISE 10".
function(_oi_trt_version_part part out)
  set(_value "")
  if(_oi_version_text MATCHES "#define[ \t]+NV_TENSORRT_${part}[ \t]+([0-9]+)")
    set(_value "${CMAKE_MATCH_1}")
  elseif(_oi_version_text MATCHES "#define[ \t]+NV_TENSORRT_${part}[ \t]+([A-Za-z_][A-Za-z0-9_]*)")
    set(_indirect "${CMAKE_MATCH_1}")
    if(_oi_version_text MATCHES "#define[ \t]+${_indirect}[ \t]+([0-9]+)")
      set(_value "${CMAKE_MATCH_1}")
    endif()
  endif()
  set(${out} "${_value}" PARENT_SCOPE)
endfunction()
_oi_trt_version_part(MAJOR OI_TRT_MAJOR)
_oi_trt_version_part(MINOR OI_TRT_MINOR)
_oi_trt_version_part(PATCH OI_TRT_PATCH)
if(OI_TRT_MAJOR STREQUAL "")
  message(FATAL_ERROR "${_oi_version_header}: could not read NV_TENSORRT_MAJOR")
endif()
message(STATUS "TensorRT headers ${OI_TRT_MAJOR}.${OI_TRT_MINOR}.${OI_TRT_PATCH} in ${TENSORRT_INCLUDE_DIR}")

# CUDA's own cuda_runtime_api.h when there is one, else our stand-in declaring the two opaque types TensorRT uses.
find_path(OI_CUDA_RUNTIME_INCLUDE_DIR cuda_runtime_api.h
  HINTS ${CUDA_INCLUDE_DIR} $ENV{CUDA_HOME}/include $ENV{CUDA_PATH}/include
  PATHS /usr/local/cuda/include /usr/local/cuda/targets/x86_64-linux/include /usr/include
  NO_DEFAULT_PATH)
set(_oi_trt_includes "${TENSORRT_INCLUDE_DIR}")
if(OI_CUDA_RUNTIME_INCLUDE_DIR)
  message(STATUS "cuda_runtime_api.h: ${OI_CUDA_RUNTIME_INCLUDE_DIR}")
  list(APPEND _oi_trt_includes "${OI_CUDA_RUNTIME_INCLUDE_DIR}")
else()
  message(STATUS "cuda_runtime_api.h: not found, using helper/include-stubs")
  list(APPEND _oi_trt_includes "${_oi_helper_root}/include-stubs")
endif()

file(GLOB _oi_trt_sources CONFIGURE_DEPENDS "${_oi_helper_root}/src/trt/*.cpp")
set(OI_TRT_TARGET "onnx-inspector-trt${OI_TRT_MAJOR}")
add_executable(${OI_TRT_TARGET} "${_oi_helper_root}/src/main.cpp" ${_oi_trt_sources})
target_compile_features(${OI_TRT_TARGET} PRIVATE cxx_std_17)
target_include_directories(${OI_TRT_TARGET} PRIVATE "${_oi_helper_root}/src")
# TensorRT's and CUDA's headers are not ours: as system headers their warnings stay out of the build log.
target_include_directories(${OI_TRT_TARGET} SYSTEM PRIVATE ${_oi_trt_includes})
target_compile_options(${OI_TRT_TARGET} PRIVATE -Wall -Wextra -Wno-deprecated-declarations)
find_package(Threads REQUIRED)
target_link_libraries(${OI_TRT_TARGET} PRIVATE helper_core ${CMAKE_DL_LIBS} Threads::Threads)
