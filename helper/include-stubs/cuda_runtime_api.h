// Stand-in for CUDA's cuda_runtime_api.h where the CUDA toolkit is not installed: the TensorRT headers use only these
// two opaque handle types from it. The helper never calls the CUDA runtime (it uses the driver API through dlopen).
#pragma once
typedef struct CUstream_st* cudaStream_t;
typedef struct CUevent_st* cudaEvent_t;
