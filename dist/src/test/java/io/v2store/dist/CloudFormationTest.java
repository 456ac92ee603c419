package io.v2store.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/cloudformation: the stack's shape (three members, one load balancer, the ports each
 * group opens), every reference resolving, the JSON twin equal to the YAML, and cfn-lint where
 * it is installed.
 */
class CloudFormationTest {
  private static final Path DIR = RepoPaths.deploy().resolve("cloudformation");
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

  private static JsonNode yaml() throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("cluster.yaml").toFile());
  }

  @Test
  void jsonIsTheYamlConverted() throws IOException {
    final JsonNode json = new ObjectMapper().readTree(DIR.resolve("cluster.json").toFile());
    assertEquals(yaml(), json,
        "regenerate: python3 deploy/tools/yaml_to_json.py deploy/cloudformation/cluster.yaml > deploy/cloudformation/cluster.json");
  }

  @Test
  void threeMembersBehindOneLoadBalancerOnTheClientPort() throws IOException {
    final JsonNode template = yaml();
    final JsonNode parameters = template.get("Parameters");
    assertEquals("AWS::EC2::KeyPair::KeyName", parameters.get("KeyName").get("Type").asText());
    assertTrue(parameters.has("InstanceType") && parameters.has("SshCidr"), "parameters: " + parameters);
    final JsonNode resources = template.get("Resources");
    assertEquals(3, ofType(resources, "AWS::EC2::Instance").size());
    final List<String> balancers = ofType(resources, "AWS::ElasticLoadBalancing::LoadBalancer");
    assertEquals(1, balancers.size());
    final JsonNode balancer = resources.get(balancers.get(0)).get("Properties");
    assertEquals("2379", balancer.get("Listeners").get(0).get("LoadBalancerPort").asText());
    assertEquals("2379", balancer.get("Listeners").get(0).get("InstancePort").asText());
    assertEquals(3, balancer.get("Instances").size());
    for (JsonNode instance : balancer.get("Instances")) {
      assertEquals("AWS::EC2::Instance", resources.get(instance.get("Ref").asText()).get("Type").asText());
    }
  }

  @Test
  void peerPortOnlyBetweenMembersClientPortFromTheBalancerAndMembersSshFromTheParameter() throws IOException {
    final JsonNode resources = yaml().get("Resources");
    final List<JsonNode> rules = new ArrayList<>();
    for (String group : ofType(resources, "AWS::EC2::SecurityGroup")) {
      resources.get(group).get("Properties").path("SecurityGroupIngress")
          .forEach(rule -> rules.add(((com.fasterxml.jackson.databind.node.ObjectNode) rule.deepCopy())
              .put("GroupId", group)));
    }
    for (String rule : ofType(resources, "AWS::EC2::SecurityGroupIngress")) {
      final JsonNode properties = resources.get(rule).get("Properties");
      rules.add(((com.fasterxml.jackson.databind.node.ObjectNode) properties.deepCopy())
          .put("GroupId", properties.get("GroupId").get("Ref").asText()));
    }
    final Set<Integer> memberPorts = new HashSet<>();
    final Set<String> clientPortSources = new HashSet<>();
    for (JsonNode rule : rules) {
      final int port = rule.get("FromPort").asInt();
      assertEquals(port, rule.get("ToPort").asInt(), "one port per rule: " + rule);
      final String source = rule.has("CidrIp") ? "cidr:" + rule.get("CidrIp").get("Ref").asText()
          : "group:" + rule.get("SourceSecurityGroupId").get("Ref").asText();
      if (rule.get("GroupId").asText().equals("MemberSecurityGroup")) {
        memberPorts.add(port);
        switch (port) {
          case 2380 -> assertEquals("group:MemberSecurityGroup", source, "peer port: " + rule);
          case 2379 -> clientPortSources.add(source);
          case 22 -> assertEquals("cidr:SshCidr", source, "ssh: " + rule);
          default -> throw new AssertionError("unexpected member port " + port);
        }
      } else {
        assertEquals(2379, port, "the balancer only takes the client port: " + rule);
      }
    }
    assertEquals(Set.of(22, 2379, 2380), memberPorts);
    // etcdctl on a member (OPERATIONS.md's commands, the example units) syncs the member list and
    // talks to every member's advertised client URL: cluster-health asks each one's /health.
    assertEquals(Set.of("group:LoadBalancerSecurityGroup", "group:MemberSecurityGroup"), clientPortSources,
        "the client port is open to the balancer and to the members");
  }

  @Test
  void everyReferenceResolvesAndEachMemberKnowsTheWholeCluster() throws IOException {
    final JsonNode template = yaml();
    final Set<String> names = new HashSet<>();
    template.get("Parameters").fieldNames().forEachRemaining(names::add);
    template.get("Resources").fieldNames().forEachRemaining(names::add);
    final List<String> unresolved = new ArrayList<>();
    walk(template, names, Set.of(), unresolved);
    assertTrue(unresolved.isEmpty(), "unresolved references: " + unresolved);

    final JsonNode resources = template.get("Resources");
    for (String instance : ofType(resources, "AWS::EC2::Instance")) {
      final String script = resources.get(instance).get("Properties").get("UserData")
          .get("Fn::Base64").get("Fn::Sub").get(0).asText();
      assertTrue(script.contains("ETCD_INITIAL_CLUSTER=m1=http://${M1Ip}:2380,m2=http://${M2Ip}:2380,"
          + "m3=http://${M3Ip}:2380"), instance + " user data: " + script);
      assertTrue(script.contains("${ReleaseUrl}") && script.contains("systemctl enable --now v2store"), script);
    }
  }

  @Test
  void cfnLintAcceptsBothWhereInstalled() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Commands.onPath("cfn-lint"),
        "cfn-lint is not installed; the structural checks above still ran");
    final Commands.Result lint = Commands.run(DIR, Map.of(), 120, "cfn-lint", "cluster.yaml", "cluster.json");
    assertEquals(0, lint.exitCode(), lint.output());
  }

  private static List<String> ofType(JsonNode resources, String type) {
    final List<String> names = new ArrayList<>();
    resources.fields().forEachRemaining(e -> {
      if (e.getValue().get("Type").asText().equals(type)) {
        names.add(e.getKey());
      }
    });
    return names;
  }

  /** Ref, Fn::GetAtt and Fn::Sub's ${...} must each name a parameter, resource or pseudo parameter. */
  private static void walk(JsonNode node, Set<String> names, Set<String> subLocals, List<String> unresolved) {
    if (node.isArray()) {
      node.forEach(child -> walk(child, names, subLocals, unresolved));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    if (node.has("Ref")) {
      check(node.get("Ref").asText(), names, subLocals, unresolved);
    }
    if (node.has("Fn::GetAtt")) {
      check(node.get("Fn::GetAtt").get(0).asText(), names, Set.of(), unresolved);
    }
    if (node.has("Fn::Sub")) {
      final JsonNode sub = node.get("Fn::Sub");
      final Set<String> locals = new HashSet<>();
      if (sub.isArray()) {
        sub.get(1).fieldNames().forEachRemaining(locals::add);
        walk(sub.get(1), names, subLocals, unresolved);
      }
      final Matcher variables = SUB_VARIABLE.matcher(sub.isArray() ? sub.get(0).asText() : sub.asText());
      while (variables.find()) {
        check(variables.group(1).split("\\.")[0], names, locals, unresolved);
      }
      return;
    }
    node.forEach(child -> walk(child, names, subLocals, unresolved));
  }

  private static void check(String name, Set<String> names, Set<String> locals, List<String> unresolved) {
    if (!name.startsWith("AWS::") && !names.contains(name) && !locals.contains(name)) {
      unresolved.add(name);
    }
  }
}
