#include "trt/cuda_driver.h"

#include <dlfcn.h>

#include <cstdio>
#include <type_traits>
#include <memory>
#include <mutex>

#include "common/errors.h"
#include "trt/log.h"

namespace oi::cuda {

namespace {
constexpr int kAttrComputeCapabilityMajor = 75;  // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
constexpr int kAttrComputeCapabilityMinor = 76;  // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR
constexpr CUresult kSuccess = 0;
}  // namespace

std::string GpuInfo::sm() const { return "sm_" + std::to_string(smMajor) + std::to_string(smMinor); }
std::string GpuInfo::describe() const { return name + " (" + sm() + ")"; }
std::string GpuInfo::driverString() const {
  return std::to_string(driverVersion / 1000) + "." + std::to_string((driverVersion % 1000) / 10);
}

std::string Driver::errorText(CUresult r) const {
  const char* name = nullptr;
  const char* text = nullptr;
  if (cuGetErrorName_) cuGetErrorName_(r, &name);
  if (cuGetErrorString_) cuGetErrorString_(r, &text);
  std::string s = name ? name : ("CUDA error " + std::to_string(r));
  if (text) s += std::string(": ") + text;
  return s;
}

void Driver::check(CUresult r, const char* call, const std::string& what) const {
  if (r == kSuccess) return;
  std::string msg = std::string(call) + (what.empty() ? "" : " (" + what + ")") + " failed: " + errorText(r);
  throw HelperError(ErrorClass::run, msg);
}

void Driver::init() {
  auto noGpu = [](const std::string& m) { return HelperError(ErrorClass::noGpu, m); };
  logInfo("cuda: opening libcuda.so.1 (the NVIDIA driver)");
  lib_ = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
  if (!lib_) {
    const char* e = dlerror();
    throw noGpu(std::string("no NVIDIA driver: libcuda.so.1 could not be loaded (") + (e ? e : "unknown reason") + ")");
  }
  auto sym = [&](auto& fn, const char* name) {
    void* p = dlsym(lib_, name);
    if (!p) throw noGpu(std::string("the NVIDIA driver's libcuda.so.1 has no ") + name + " (driver too old?)");
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(p);
  };
  sym(cuGetErrorString_, "cuGetErrorString");
  sym(cuGetErrorName_, "cuGetErrorName");
  sym(cuInit_, "cuInit");
  sym(cuDriverGetVersion_, "cuDriverGetVersion");
  sym(cuDeviceGetCount_, "cuDeviceGetCount");
  sym(cuDeviceGet_, "cuDeviceGet");
  sym(cuDeviceGetName_, "cuDeviceGetName");
  sym(cuDeviceGetAttribute_, "cuDeviceGetAttribute");
  sym(cuDevicePrimaryCtxRetain_, "cuDevicePrimaryCtxRetain");
  sym(cuCtxSetCurrent_, "cuCtxSetCurrent");
  sym(cuMemAlloc_, "cuMemAlloc_v2");
  sym(cuMemFree_, "cuMemFree_v2");
  sym(cuMemcpyHtoD_, "cuMemcpyHtoD_v2");
  sym(cuMemcpyDtoH_, "cuMemcpyDtoH_v2");
  sym(cuMemsetD8_, "cuMemsetD8_v2");
  sym(cuStreamCreate_, "cuStreamCreate");
  sym(cuStreamSynchronize_, "cuStreamSynchronize");
  sym(cuStreamDestroy_, "cuStreamDestroy_v2");
  sym(cuMemGetInfo_, "cuMemGetInfo_v2");

  auto need = [&](CUresult r, const char* call) {
    if (r != kSuccess) throw noGpu(std::string(call) + " failed: " + errorText(r));
  };
  need(cuInit_(0), "cuInit");
  need(cuDriverGetVersion_(&gpu_.driverVersion), "cuDriverGetVersion");
  int count = 0;
  need(cuDeviceGetCount_(&count), "cuDeviceGetCount");
  if (count < 1) throw noGpu("the NVIDIA driver sees no CUDA device");
  need(cuDeviceGet_(&dev_, 0), "cuDeviceGet(0)");
  char name[256] = {0};
  need(cuDeviceGetName_(name, static_cast<int>(sizeof(name) - 1), dev_), "cuDeviceGetName");
  gpu_.name = name;
  need(cuDeviceGetAttribute_(&gpu_.smMajor, kAttrComputeCapabilityMajor, dev_), "cuDeviceGetAttribute(major)");
  need(cuDeviceGetAttribute_(&gpu_.smMinor, kAttrComputeCapabilityMinor, dev_), "cuDeviceGetAttribute(minor)");
  // The primary context is the one the CUDA runtime (inside TensorRT) uses for device 0: retaining it and making it
  // current here means TensorRT's allocations, streams and ours live in one context.
  need(cuDevicePrimaryCtxRetain_(&ctx_, dev_), "cuDevicePrimaryCtxRetain");
  need(cuCtxSetCurrent_(ctx_), "cuCtxSetCurrent");
  logInfo("cuda: device 0 of " + std::to_string(count) + ": " + gpu_.describe() + ", driver CUDA " +
          gpu_.driverString() + ", primary context current");
}

namespace {
std::mutex gMutex;
std::unique_ptr<Driver> gDriver;
std::string gFailure;
bool gFailed = false;
}  // namespace

Driver& Driver::get() {
  std::lock_guard<std::mutex> lock(gMutex);
  if (gDriver) return *gDriver;
  if (gFailed) throw HelperError(ErrorClass::noGpu, gFailure);
  std::unique_ptr<Driver> d(new Driver());
  try {
    d->init();
  } catch (const HelperError& e) {
    gFailed = true;
    gFailure = e.what();
    throw HelperError(ErrorClass::noGpu, gFailure);
  }
  gDriver = std::move(d);
  return *gDriver;
}

const GpuInfo* tryGpu(std::string* problem) {
  try {
    return &Driver::get().gpu();
  } catch (const std::exception& e) {
    if (problem) *problem = e.what();
    return nullptr;
  }
}

void Driver::makeCurrent() const { check(cuCtxSetCurrent_(ctx_), "cuCtxSetCurrent", ""); }

CUdeviceptr Driver::alloc(size_t bytes, const std::string& what) const {
  CUdeviceptr p = 0;
  CUresult r = cuMemAlloc_(&p, bytes == 0 ? 1 : bytes);
  if (r != kSuccess) {
    size_t freeB = 0, totalB = 0;
    memInfo(&freeB, &totalB);
    throw HelperError(ErrorClass::run, "cuMemAlloc of " + std::to_string(bytes) + " bytes for " + what +
                                           " failed: " + errorText(r) + " (" + std::to_string(freeB >> 20) +
                                           " MiB free of " + std::to_string(totalB >> 20) + " MiB)");
  }
  return p;
}

void Driver::free(CUdeviceptr p) const noexcept {
  if (p) cuMemFree_(p);
}

void Driver::copyToDevice(CUdeviceptr dst, const void* src, size_t bytes, const std::string& what) const {
  if (bytes) check(cuMemcpyHtoD_(dst, src, bytes), "cuMemcpyHtoD", what);
}

void Driver::copyToHost(void* dst, CUdeviceptr src, size_t bytes, const std::string& what) const {
  if (bytes) check(cuMemcpyDtoH_(dst, src, bytes), "cuMemcpyDtoH", what);
}

void Driver::memsetZero(CUdeviceptr dst, size_t bytes, const std::string& what) const {
  if (bytes) check(cuMemsetD8_(dst, 0, bytes), "cuMemsetD8", what);
}

CUstream Driver::createStream() const {
  CUstream s = nullptr;
  check(cuStreamCreate_(&s, 0), "cuStreamCreate", "");
  return s;
}

void Driver::synchronize(CUstream s, const std::string& what) const {
  check(cuStreamSynchronize_(s), "cuStreamSynchronize", what);
}

void Driver::destroyStream(CUstream s) const noexcept {
  if (s) cuStreamDestroy_(s);
}

void Driver::memInfo(size_t* freeBytes, size_t* totalBytes) const noexcept {
  *freeBytes = 0;
  *totalBytes = 0;
  if (cuMemGetInfo_ && cuMemGetInfo_(freeBytes, totalBytes) != kSuccess) *freeBytes = *totalBytes = 0;
}

}  // namespace oi::cuda
