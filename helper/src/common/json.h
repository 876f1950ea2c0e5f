// A small JSON value, parser and writer: the inputs files, serve-mode requests, the layer information and the events.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace oi::json {

class Value {
 public:
  enum class Kind { null, boolean, number, string, array, object };
  Value() = default;
  static Value boolean(bool b);
  static Value number(double d);
  static Value string(std::string s);
  static Value array(std::vector<Value> items = {});
  static Value object();  // keys keep insertion order
  /** An object from members whose keys are already distinct (the parser's fast path; set() checks each key). */
  static Value objectFromUniqueMembers(std::vector<std::pair<std::string, Value>> members);

  Kind kind() const { return kind_; }
  bool isNull() const { return kind_ == Kind::null; }
  bool asBool() const;                 // throws std::runtime_error on a wrong kind
  double asNumber() const;
  const std::string& asString() const;
  const std::vector<Value>& items() const;
  std::vector<Value>& items();
  const std::vector<std::pair<std::string, Value>>& members() const;
  /** nullptr when absent (or not an object). */
  const Value* find(const std::string& key) const;
  Value& set(const std::string& key, Value v);  // object: replaces or appends
  Value& push(Value v);                         // array

 private:
  Kind kind_ = Kind::null;
  bool b_ = false;
  double n_ = 0;
  std::string s_;
  std::vector<Value> a_;
  std::vector<std::pair<std::string, Value>> o_;
};

/** Parses a whole document; throws std::runtime_error("json: ... at offset N"). Big string values (base64) are fine. */
Value parse(const std::string& text);
/** Compact one-line JSON (no trailing newline); integers written without a fraction. */
std::string write(const Value& v);
/** The JSON string literal of s, quotes included. */
std::string quote(const std::string& s);

}  // namespace oi::json
