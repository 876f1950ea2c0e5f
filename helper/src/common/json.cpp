#include "json.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

namespace oi::json {

Value Value::boolean(bool b) { Value v; v.kind_ = Kind::boolean; v.b_ = b; return v; }
Value Value::number(double d) { Value v; v.kind_ = Kind::number; v.n_ = d; return v; }
Value Value::string(std::string s) { Value v; v.kind_ = Kind::string; v.s_ = std::move(s); return v; }
Value Value::array(std::vector<Value> items) { Value v; v.kind_ = Kind::array; v.a_ = std::move(items); return v; }
Value Value::object() { Value v; v.kind_ = Kind::object; return v; }
Value Value::objectFromUniqueMembers(std::vector<std::pair<std::string, Value>> members) {
  Value v;
  v.kind_ = Kind::object;
  v.o_ = std::move(members);
  return v;
}

static const char* kindName(Value::Kind k) {
  switch (k) {
    case Value::Kind::null: return "null";
    case Value::Kind::boolean: return "boolean";
    case Value::Kind::number: return "number";
    case Value::Kind::string: return "string";
    case Value::Kind::array: return "array";
    case Value::Kind::object: return "object";
  }
  return "?";
}
static void expectKind(Value::Kind have, Value::Kind want) {
  if (have != want) throw std::runtime_error(std::string("json: expected a ") + kindName(want) + ", got " + kindName(have));
}

bool Value::asBool() const { expectKind(kind_, Kind::boolean); return b_; }
double Value::asNumber() const { expectKind(kind_, Kind::number); return n_; }
const std::string& Value::asString() const { expectKind(kind_, Kind::string); return s_; }
const std::vector<Value>& Value::items() const { expectKind(kind_, Kind::array); return a_; }
std::vector<Value>& Value::items() { expectKind(kind_, Kind::array); return a_; }
const std::vector<std::pair<std::string, Value>>& Value::members() const { expectKind(kind_, Kind::object); return o_; }

const Value* Value::find(const std::string& key) const {
  if (kind_ != Kind::object) return nullptr;
  for (const auto& [k, v] : o_)
    if (k == key) return &v;
  return nullptr;
}

Value& Value::set(const std::string& key, Value v) {
  expectKind(kind_, Kind::object);
  for (auto& [k, old] : o_)
    if (k == key) { old = std::move(v); return old; }
  o_.emplace_back(key, std::move(v));
  return o_.back().second;
}

Value& Value::push(Value v) {
  expectKind(kind_, Kind::array);
  a_.push_back(std::move(v));
  return a_.back();
}

namespace {

class Parser {
 public:
  explicit Parser(const std::string& t) : t_(t), p_(t.data()), end_(t.data() + t.size()) {}

  Value document() {
    Value v = value(0);
    ws();
    if (p_ != end_) fail("unexpected text after the document");
    return v;
  }

 private:
  const std::string& t_;
  const char* p_;
  const char* end_;

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("json: " + what + " at offset " + std::to_string(p_ - t_.data()));
  }
  void ws() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  void literal(const char* word) {
    size_t n = std::strlen(word);
    if (size_t(end_ - p_) < n || std::memcmp(p_, word, n) != 0) fail("invalid literal");
    p_ += n;
  }

  Value value(int depth) {
    if (depth > 512) fail("nesting too deep");
    ws();
    if (p_ == end_) fail("unexpected end of input");
    switch (*p_) {
      case '{': return object(depth);
      case '[': return array(depth);
      case '"': return Value::string(string());
      case 't': literal("true"); return Value::boolean(true);
      case 'f': literal("false"); return Value::boolean(false);
      case 'n': literal("null"); return Value();
      default:
        if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return number();
        fail(std::string("unexpected character '") + *p_ + "'");
    }
  }

  Value object(int depth) {
    ++p_;
    std::vector<std::pair<std::string, Value>> members;
    // A repeated key replaces the earlier value in place (as JavaScript's JSON.parse keeps the last); the index
    // keeps objects with many keys linear.
    std::unordered_map<std::string, size_t> index;
    ws();
    if (p_ != end_ && *p_ == '}') { ++p_; return Value::object(); }
    for (;;) {
      ws();
      if (p_ == end_ || *p_ != '"') fail("expected a string key");
      std::string key = string();
      ws();
      if (p_ == end_ || *p_ != ':') fail("expected ':'");
      ++p_;
      Value v = value(depth + 1);
      auto [it, fresh] = index.emplace(key, members.size());
      if (fresh) members.emplace_back(std::move(key), std::move(v));
      else members[it->second].second = std::move(v);
      ws();
      if (p_ == end_) fail("unexpected end of input in an object");
      if (*p_ == ',') { ++p_; continue; }
      if (*p_ == '}') { ++p_; return Value::objectFromUniqueMembers(std::move(members)); }
      fail("expected ',' or '}'");
    }
  }

  Value array(int depth) {
    ++p_;
    Value a = Value::array();
    ws();
    if (p_ != end_ && *p_ == ']') { ++p_; return a; }
    for (;;) {
      a.push(value(depth + 1));
      ws();
      if (p_ == end_) fail("unexpected end of input in an array");
      if (*p_ == ',') { ++p_; continue; }
      if (*p_ == ']') { ++p_; return a; }
      fail("expected ',' or ']'");
    }
  }

  Value number() {
    const char* s = p_;
    if (*p_ == '-') ++p_;
    if (p_ == end_ || !(*p_ >= '0' && *p_ <= '9')) fail("invalid number");
    if (*p_ == '0') ++p_;
    else while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (p_ == end_ || !(*p_ >= '0' && *p_ <= '9')) fail("invalid number");
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !(*p_ >= '0' && *p_ <= '9')) fail("invalid number");
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    std::string text(s, p_);
    return Value::number(std::strtod(text.c_str(), nullptr));
  }

  unsigned hex4() {
    if (end_ - p_ < 4) fail("truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i, ++p_) {
      char c = *p_;
      v <<= 4;
      if (c >= '0' && c <= '9') v |= unsigned(c - '0');
      else if (c >= 'a' && c <= 'f') v |= unsigned(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= unsigned(c - 'A' + 10);
      else fail("invalid \\u escape");
    }
    return v;
  }

  static void appendUtf8(std::string& out, unsigned cp) {
    if (cp < 0x80) out += char(cp);
    else if (cp < 0x800) { out += char(0xC0 | (cp >> 6)); out += char(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) {
      out += char(0xE0 | (cp >> 12)); out += char(0x80 | ((cp >> 6) & 0x3F)); out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xF0 | (cp >> 18)); out += char(0x80 | ((cp >> 12) & 0x3F));
      out += char(0x80 | ((cp >> 6) & 0x3F)); out += char(0x80 | (cp & 0x3F));
    }
  }

  std::string string() {
    ++p_;  // opening quote
    std::string out;
    for (;;) {
      // Copy the run up to the next quote or backslash in one go: base64 strings of 100+ MB have no escapes.
      const char* run = p_;
      while (p_ != end_ && *p_ != '"' && *p_ != '\\') {
        if (static_cast<unsigned char>(*p_) < 0x20) fail("control character in a string");
        ++p_;
      }
      out.append(run, p_);
      if (p_ == end_) fail("unterminated string");
      if (*p_ == '"') { ++p_; return out; }
      ++p_;  // backslash
      if (p_ == end_) fail("unterminated escape");
      char e = *p_++;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') fail("unpaired high surrogate");
            p_ += 2;
            unsigned lo = hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) fail("invalid low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail("unpaired low surrogate");
          }
          appendUtf8(out, cp);
          break;
        }
        default: --p_; fail(std::string("invalid escape '\\") + e + "'");
      }
    }
  }
};

void writeNumber(std::string& out, double d) {
  if (!std::isfinite(d)) { out += "null"; return; }  // JSON has no NaN/Infinity
  char buf[40];
  if (d == std::floor(d) && std::fabs(d) < 9.007199254740992e15) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(d));
  } else {
    std::snprintf(buf, sizeof buf, "%.17g", d);
    // Prefer the shortest text that reads back the same value.
    for (int prec = 1; prec < 17; ++prec) {
      char shorter[40];
      std::snprintf(shorter, sizeof shorter, "%.*g", prec, d);
      if (std::strtod(shorter, nullptr) == d) { std::memcpy(buf, shorter, sizeof shorter); break; }
    }
  }
  out += buf;
}

void quoteInto(std::string& out, const std::string& s) {
  out += '"';
  size_t runStart = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    const char* esc = nullptr;
    char ubuf[8];
    switch (c) {
      case '"': esc = "\\\""; break;
      case '\\': esc = "\\\\"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      case '\b': esc = "\\b"; break;
      case '\f': esc = "\\f"; break;
      default:
        if (c < 0x20) { std::snprintf(ubuf, sizeof ubuf, "\\u%04x", c); esc = ubuf; }
    }
    if (esc) {
      out.append(s, runStart, i - runStart);
      out += esc;
      runStart = i + 1;
    }
  }
  out.append(s, runStart, std::string::npos);
  out += '"';
}

void writeInto(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::null: out += "null"; break;
    case Value::Kind::boolean: out += v.asBool() ? "true" : "false"; break;
    case Value::Kind::number: writeNumber(out, v.asNumber()); break;
    case Value::Kind::string: quoteInto(out, v.asString()); break;
    case Value::Kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.items()) {
        if (!first) out += ',';
        first = false;
        writeInto(out, item);
      }
      out += ']';
      break;
    }
    case Value::Kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, item] : v.members()) {
        if (!first) out += ',';
        first = false;
        quoteInto(out, k);
        out += ':';
        writeInto(out, item);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

Value parse(const std::string& text) { return Parser(text).document(); }

std::string write(const Value& v) {
  std::string out;
  writeInto(out, v);
  return out;
}

std::string quote(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 2);
  quoteInto(out, s);
  return out;
}

}  // namespace oi::json
