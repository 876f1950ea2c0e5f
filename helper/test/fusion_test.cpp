#include "fusion.h"

#include "test_support.h"

using namespace oi;
using namespace oi::test;

namespace {

std::vector<NetworkLayer> net(std::vector<std::pair<std::string, std::string>> layerAndOutput) {
  std::vector<NetworkLayer> v;
  for (auto& [l, o] : layerAndOutput) v.push_back({l, {o}});
  return v;
}

std::string explain(const std::vector<NetworkLayer>& network, const std::string& engineJson,
                    const std::set<std::string>& produced, const std::vector<std::string>& requested) {
  return json::write(fusedToJson(explainFusion(network, json::parse(engineJson), produced, requested)));
}

}  // namespace

TEST(Fusion, PlusSeparatedNamesDetailed) {
  auto n = net({{"Conv_0", "c0"}, {"Relu_1", "r1"}, {"Conv_2", "c2"}, {"Relu_3", "r3"}});
  std::string engine = R"({"Layers":[
    {"Name":"Reformatting CopyNode for Input Tensor 0 to Conv_0 + Relu_1","Outputs":[{"Name":"x"}]},
    {"Name":"Conv_0 + Relu_1","Outputs":[{"Name":"r1"}]},
    {"Name":"Conv_2 + Relu_3","Outputs":[{"Name":"r3"}]}]})";
  EXPECT_EQ(explain(n, engine, {"r1", "r3"}, {"c0", "r1", "c2", "r3"}),
            R"([{"tensor":"c0","layer":"Conv_0 + Relu_1"},{"tensor":"c2","layer":"Conv_2 + Relu_3"}])");
}

TEST(Fusion, SlashNamesOneLineFormat) {
  auto n = net({{"/features/0/Conv", "/features/0/Conv_output_0"}, {"/features/1/Relu", "/features/1/Relu_output_0"},
                {"/features/10/Conv", "t10"}});
  std::string engine = R"({"Layers":["/features/0/Conv + /features/1/Relu","/features/10/Conv"]})";
  EXPECT_EQ(explain(n, engine, {"/features/1/Relu_output_0"}, {"/features/0/Conv_output_0"}),
            R"([{"tensor":"/features/0/Conv_output_0","layer":"/features/0/Conv + /features/1/Relu"}])");
  // A whole part must match: /features/1 is not /features/10.
  auto n2 = net({{"/features/1", "a"}});
  EXPECT_EQ(explain(n2, R"({"Layers":["/features/10 + /x"]})", {}, {"a"}), R"([{"tensor":"a","layer":null}])");
}

TEST(Fusion, MyelinForeignNodeRange) {
  auto n = net({{"/blocks/0/attn/MatMul", "m"}, {"/blocks/0/attn/Softmax", "s"}, {"/blocks/0/Add_1", "a"},
                {"/blocks/1/Conv", "after"}});
  std::string engine = R"({"Layers":[{"Name":"{ForeignNode[/blocks/0/attn/MatMul.../blocks/0/Add_1]}"},
                                     {"Name":"/blocks/1/Conv"}]})";
  EXPECT_EQ(explain(n, engine, {"a", "after"}, {"m", "s", "after"}),
            R"([{"tensor":"m","layer":"{ForeignNode[/blocks/0/attn/MatMul.../blocks/0/Add_1]}"},)"
            R"({"tensor":"s","layer":"{ForeignNode[/blocks/0/attn/MatMul.../blocks/0/Add_1]}"}])");
  // Outside every range: no layer.
  auto n3 = net({{"/x", "x"}, {"/blocks/0/attn/MatMul", "m"}, {"/blocks/0/Add_1", "a"}});
  EXPECT_EQ(explain(n3, engine, {}, {"x"}), R"([{"tensor":"x","layer":null}])");
}

TEST(Fusion, PointwiseFusionNames) {
  auto n = net({{"/act/Sigmoid", "sig"}, {"/act/Mul", "mul"}, {"/other/Add", "add"}, {"/deep/Tanh", "tanh"}});
  std::string engine = R"j({"Layers":["PWN(/act/Sigmoid, /act/Mul)","/conv + PWN(PWN(/deep/Tanh), /other/Add)"]})j";
  EXPECT_EQ(explain(n, engine, {"mul"}, {"sig", "add", "tanh"}),
            R"j([{"tensor":"sig","layer":"PWN(/act/Sigmoid, /act/Mul)"},)j"
            R"j({"tensor":"add","layer":"/conv + PWN(PWN(/deep/Tanh), /other/Add)"},)j"
            R"j({"tensor":"tanh","layer":"/conv + PWN(PWN(/deep/Tanh), /other/Add)"}])j");
}

TEST(Fusion, NodeOfNames) {
  // Unnamed ONNX nodes become layers called node_of_<first output>.
  auto n = net({{"node_of_y", "y"}, {"node_of_z", "z"}});
  EXPECT_EQ(explain(n, R"({"Layers":["node_of_y + node_of_z"]})", {"z"}, {"y", "z"}),
            R"([{"tensor":"y","layer":"node_of_y + node_of_z"}])");
}

TEST(Fusion, ExactNameBeatsForeignRangeAndUnknownsAreNull) {
  auto n = net({{"A", "a"}, {"B", "b"}, {"C", "c"}});
  std::string engine = R"({"Layers":["{ForeignNode[A...C]}","B + C"]})";
  EXPECT_EQ(explain(n, engine, {}, {"b", "nowhere", "b"}),
            R"([{"tensor":"b","layer":"B + C"},{"tensor":"nowhere","layer":null}])");
  EXPECT_EQ(explain(n, R"({"NoLayers":1})", {}, {"a"}), R"([{"tensor":"a","layer":null}])");
  EXPECT_EQ(explain(n, engine, {"a", "b", "c"}, {"a", "b", "c"}), "[]");
}

TEST(Fusion, WriteLayerInfo) {
  TempDir tmp;
  std::string path = tmp.file("out.layers.json");
  json::Value engine = json::parse(R"({"Layers":["Conv_3 + Relu_4"],"Bindings":["in","out"]})");
  writeLayerInfo(path, "8.6.0", "trt-runner-N8.6.0", "mark", {{"t2", std::string("Conv_3 + Relu_4")}, {"t9", std::nullopt}},
                 {{"t", "inside a Loop body"}}, engine);
  EXPECT_FALSE(fileExists(path + ".partial"));
  EXPECT_EQ(json::write(json::parse(readText(path))),
            R"({"tensorrt":"8.6.0","runnerName":"trt-runner-N8.6.0","captureMode":"mark",)"
            R"("fused":[{"tensor":"t2","layer":"Conv_3 + Relu_4"},{"tensor":"t9","layer":null}],)"
            R"("skipped":[{"name":"t","reason":"inside a Loop body"}],)"
            R"("engine":{"Layers":["Conv_3 + Relu_4"],"Bindings":["in","out"]}})");
  EXPECT_TRUE(contains(errorOf(ErrorClass::write, [&] {
                         writeLayerInfo(tmp.file("no/dir/x.json"), "8", "r", "mark", {}, {}, engine);
                       }),
                       "cannot create the layer file " + tmp.file("no/dir/x.json.partial")));
}
