// The CUDA driver API, opened with dlopen("libcuda.so.1"): present wherever an NVIDIA driver is installed, while the
// CUDA runtime may not be (TensorRT 8.6's pip wheel links its runtime statically). Only what the helper needs.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace oi::cuda {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;  // 64-bit builds
using CUcontext = struct CUctx_st*;
using CUstream = struct CUstream_st*;

struct GpuInfo {
  std::string name;     // "NVIDIA H100 80GB HBM3"
  int smMajor = 0, smMinor = 0;
  int driverVersion = 0;  // 13000 -> "13.0"
  std::string sm() const;           // "sm_90"
  std::string describe() const;     // "NVIDIA H100 80GB HBM3 (sm_90)"
  std::string driverString() const; // "13.0"
};

class Driver {
 public:
  /** Opens libcuda.so.1, cuInit(0), device 0, retains its primary context and makes it current on this thread.
   *  Throws HelperError(noGpu) with the driver's message. Once per process; later calls return the same driver. */
  static Driver& get();

  const GpuInfo& gpu() const { return gpu_; }
  /** Makes the primary context current on the calling thread (the debug listener may be called on another). */
  void makeCurrent() const;

  CUdeviceptr alloc(size_t bytes, const std::string& what) const;  // throws HelperError(run)
  void free(CUdeviceptr p) const noexcept;
  void copyToDevice(CUdeviceptr dst, const void* src, size_t bytes, const std::string& what) const;
  void copyToHost(void* dst, CUdeviceptr src, size_t bytes, const std::string& what) const;
  void memsetZero(CUdeviceptr dst, size_t bytes, const std::string& what) const;
  CUstream createStream() const;
  void synchronize(CUstream s, const std::string& what) const;
  void destroyStream(CUstream s) const noexcept;
  /** Free and total device memory in bytes (0, 0 when unknown). */
  void memInfo(size_t* freeBytes, size_t* totalBytes) const noexcept;
  std::string errorText(CUresult r) const;

 private:
  Driver() = default;
  void init();
  void check(CUresult r, const char* call, const std::string& what) const;

  void* lib_ = nullptr;
  CUdevice dev_ = 0;
  CUcontext ctx_ = nullptr;
  GpuInfo gpu_;

  CUresult (*cuInit_)(unsigned int) = nullptr;
  CUresult (*cuDriverGetVersion_)(int*) = nullptr;
  CUresult (*cuDeviceGetCount_)(int*) = nullptr;
  CUresult (*cuDeviceGet_)(CUdevice*, int) = nullptr;
  CUresult (*cuDeviceGetName_)(char*, int, CUdevice) = nullptr;
  CUresult (*cuDeviceGetAttribute_)(int*, int, CUdevice) = nullptr;
  CUresult (*cuDevicePrimaryCtxRetain_)(CUcontext*, CUdevice) = nullptr;
  CUresult (*cuCtxSetCurrent_)(CUcontext) = nullptr;
  CUresult (*cuMemAlloc_)(CUdeviceptr*, size_t) = nullptr;
  CUresult (*cuMemFree_)(CUdeviceptr) = nullptr;
  CUresult (*cuMemcpyHtoD_)(CUdeviceptr, const void*, size_t) = nullptr;
  CUresult (*cuMemcpyDtoH_)(void*, CUdeviceptr, size_t) = nullptr;
  CUresult (*cuMemsetD8_)(CUdeviceptr, unsigned char, size_t) = nullptr;
  CUresult (*cuStreamCreate_)(CUstream*, unsigned int) = nullptr;
  CUresult (*cuStreamSynchronize_)(CUstream) = nullptr;
  CUresult (*cuStreamDestroy_)(CUstream) = nullptr;
  CUresult (*cuGetErrorString_)(CUresult, const char**) = nullptr;
  CUresult (*cuGetErrorName_)(CUresult, const char**) = nullptr;
  CUresult (*cuMemGetInfo_)(size_t*, size_t*) = nullptr;
};

/** Like Driver::get() but returns the failure message instead of throwing (for --version). */
const GpuInfo* tryGpu(std::string* problem);

}  // namespace oi::cuda
