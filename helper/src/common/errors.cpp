#include "errors.h"

namespace oi {

const char* errorClassName(ErrorClass c) {
  switch (c) {
    case ErrorClass::internal: return "internal";
    case ErrorClass::usage: return "usage";
    case ErrorClass::noTensorrt: return "no-tensorrt";
    case ErrorClass::noGpu: return "no-gpu";
    case ErrorClass::parse: return "parse";
    case ErrorClass::unsupportedOpset: return "unsupported-opset";
    case ErrorClass::build: return "build";
    case ErrorClass::buildTimeout: return "build-timeout";
    case ErrorClass::run: return "run";
    case ErrorClass::badInput: return "bad-input";
    case ErrorClass::write: return "write";
    case ErrorClass::cancelled: return "cancelled";
  }
  return "internal";
}

int exitCodeOf(ErrorClass c) {
  switch (c) {
    case ErrorClass::internal: return 1;
    case ErrorClass::usage: return 2;
    case ErrorClass::noTensorrt: return 3;
    case ErrorClass::noGpu: return 4;
    case ErrorClass::parse: return 5;
    case ErrorClass::unsupportedOpset: return 5;
    case ErrorClass::build: return 6;
    case ErrorClass::run: return 7;
    case ErrorClass::badInput: return 8;
    case ErrorClass::buildTimeout: return 9;
    case ErrorClass::write: return 10;
    case ErrorClass::cancelled: return 143;
  }
  return 1;
}

}  // namespace oi
