#include <gtest/gtest.h>

#include <chrono>

#include "json.h"

using namespace oi;

TEST(Json, ParsesScalarsAndNesting) {
  json::Value v = json::parse(R"( {"a": [1, 2.5, -3e2, true, false, null], "b": {"c": "x"}} )");
  ASSERT_EQ(v.kind(), json::Value::Kind::object);
  const auto& a = v.find("a")->items();
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(a[0].asNumber(), 1);
  EXPECT_EQ(a[1].asNumber(), 2.5);
  EXPECT_EQ(a[2].asNumber(), -300);
  EXPECT_TRUE(a[3].asBool());
  EXPECT_FALSE(a[4].asBool());
  EXPECT_TRUE(a[5].isNull());
  EXPECT_EQ(v.find("b")->find("c")->asString(), "x");
  EXPECT_EQ(v.find("missing"), nullptr);
}

TEST(Json, StringEscapesAndSurrogatePairs) {
  json::Value v = json::parse(R"("q\" b\\ s\/ \b\f\n\r\t \u00e9 \u20ac \ud83d\ude00")");
  EXPECT_EQ(v.asString(), "q\" b\\ s/ \b\f\n\r\t \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(Json, RoundTripKeepsKeyOrderAndValues) {
  std::string text = R"({"z":1,"a":[true,null,"x\ny"],"m":{"k":-0.125,"big":12345678901}})";
  EXPECT_EQ(json::write(json::parse(text)), text);
}

TEST(Json, WriterQuotesControlCharacters) {
  EXPECT_EQ(json::quote(std::string("a\x01\"\\") + "\t"), "\"a\\u0001\\\"\\\\\\t\"");
  json::Value back = json::parse(json::quote(std::string("\x1f z")));
  EXPECT_EQ(back.asString(), "\x1f z");
}

TEST(Json, NumbersWrittenShortAndIntegersWithoutFraction) {
  EXPECT_EQ(json::write(json::Value::number(3)), "3");
  EXPECT_EQ(json::write(json::Value::number(0.1)), "0.1");
  EXPECT_EQ(json::write(json::Value::number(-1e-7)), "-1e-07");
  EXPECT_EQ(json::parse(json::write(json::Value::number(1.0 / 3))).asNumber(), 1.0 / 3);
}

TEST(Json, SetReplacesAndPushAppends) {
  json::Value o = json::Value::object();
  o.set("a", json::Value::number(1));
  o.set("b", json::Value::number(2));
  o.set("a", json::Value::string("x"));
  EXPECT_EQ(json::write(o), R"({"a":"x","b":2})");
  json::Value a = json::Value::array();
  a.push(json::Value::boolean(true));
  EXPECT_EQ(json::write(a), "[true]");
}

TEST(Json, WrongKindAccessThrows) {
  json::Value v = json::parse("[1]");
  EXPECT_THROW(v.asString(), std::runtime_error);
  EXPECT_THROW(v.members(), std::runtime_error);
  EXPECT_THROW(json::Value::number(1).items(), std::runtime_error);
}

static std::string parseError(const std::string& text) {
  try {
    json::parse(text);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Json, ErrorsNameTheOffset) {
  EXPECT_EQ(parseError("[1, 2"), "json: unexpected end of input in an array at offset 5");
  EXPECT_EQ(parseError("{\"a\" 1}"), "json: expected ':' at offset 5");
  EXPECT_EQ(parseError("[1] x"), "json: unexpected text after the document at offset 4");
  EXPECT_NE(parseError("\"abc"), "no error");
  EXPECT_NE(parseError("\"\\x\""), "no error");
  EXPECT_NE(parseError("\"\\ud83d\""), "no error");
  EXPECT_NE(parseError("\"\\ude00\""), "no error");
  EXPECT_NE(parseError("01"), "no error");
  EXPECT_NE(parseError("-"), "no error");
  EXPECT_NE(parseError("tru"), "no error");
  EXPECT_NE(parseError("\"a\nb\""), "no error");
  EXPECT_NE(parseError(""), "no error");
  EXPECT_NE(parseError("{\"a\":1,}"), "no error");
}

TEST(Json, LargeBase64StringParsesQuickly) {
  // ~120 MB string value, like a big tensor in a results file.
  std::string big(120u << 20, 'A');
  std::string text = "{\"array\": \"" + big + "\"}";
  auto t0 = std::chrono::steady_clock::now();
  json::Value v = json::parse(text);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(v.find("array")->asString().size(), big.size());
  EXPECT_LT(s, 5.0) << "parsing 120 MB took " << s << " s";
}

TEST(Json, DuplicateKeysKeepTheLastValueInFirstPosition) {
  EXPECT_EQ(json::write(json::parse(R"({"a":1,"b":2,"a":3})")), R"({"a":3,"b":2})");
}

TEST(Json, ManyKeysParseInLinearTime) {
  std::string text = "{";
  for (int i = 0; i < 100000; ++i) text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
  text += "}";
  auto t0 = std::chrono::steady_clock::now();
  json::Value v = json::parse(text);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(v.members().size(), 100000u);
  EXPECT_EQ(v.members().back().second.asNumber(), 99999);
  EXPECT_LT(s, 2.0) << "100000 keys took " << s << " s";
}
