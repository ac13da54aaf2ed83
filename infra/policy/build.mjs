#!/usr/bin/env node
// Writes trustgate-verification.json: the Azure Policy custom definition (mode Microsoft.Kubernetes.Data) that makes the
// Azure Policy add-on's Gatekeeper run infra/k8s/gatekeeper/template.yaml against trustgate instead of Ratify.
// The template is embedded base64, so the definition needs no public URL. Re-run after editing template.yaml:
//   node infra/policy/build.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const template = readFileSync(join(here, '..', 'k8s', 'gatekeeper', 'template.yaml'));
const effects = ['audit', 'Audit', 'deny', 'Deny', 'disabled', 'Disabled'];

const definition = {
  properties: {
    displayName: 'Kubernetes cluster container images must carry a trusted Notary Project signature (verified by trustgate)',
    policyType: 'Custom',
    mode: 'Microsoft.Kubernetes.Data',
    description:
      'Denies or audits Pods and workloads whose images trustgate cannot verify against its Notary Project trust policy. ' +
      'Requires the trustgate-verify Gatekeeper Provider (infra/k8s/gatekeeper/provider.yaml) in the cluster.',
    metadata: { category: 'Kubernetes', version: '1.0.0' },
    parameters: {
      effect: {
        type: 'String',
        metadata: { displayName: 'Effect', description: "'Audit' reports violations; 'Deny' blocks them; 'Disabled' turns the policy off." },
        allowedValues: effects,
        defaultValue: 'Audit',
      },
      excludedNamespaces: {
        type: 'Array',
        metadata: { displayName: 'Namespace exclusions', description: 'Namespaces the policy never evaluates. Keep the system namespaces.' },
        defaultValue: ['kube-system', 'kube-public', 'kube-node-lease', 'gatekeeper-system', 'calico-system', 'tigera-operator', 'app-routing-system', 'aks-command', 'aks-istio-system', 'aks-istio-ingress', 'aks-istio-egress', 'azure-arc', 'azure-extensions-usage-system', 'dataprotection-microsoft', 'flux-system'],
      },
      namespaces: {
        type: 'Array',
        metadata: { displayName: 'Namespace inclusions', description: 'Only these namespaces; empty means all.' },
        defaultValue: [],
      },
      labelSelector: {
        type: 'Object',
        metadata: { displayName: 'Kubernetes label selector', description: 'Only resources matching this label selector; empty means all.' },
        defaultValue: {},
      },
    },
    policyRule: {
      if: { field: 'type', in: ['Microsoft.ContainerService/managedClusters', 'Microsoft.Kubernetes/connectedClusters'] },
      then: {
        effect: "[parameters('effect')]",
        details: {
          templateInfo: { sourceType: 'Base64Encoded', content: template.toString('base64') },
          apiGroups: ['', 'apps', 'batch'],
          kinds: ['Pod', 'ReplicationController', 'PodTemplate', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'],
          namespaces: "[parameters('namespaces')]",
          excludedNamespaces: "[parameters('excludedNamespaces')]",
          labelSelector: "[parameters('labelSelector')]",
        },
      },
    },
  },
};

writeFileSync(join(here, 'trustgate-verification.json'), JSON.stringify(definition, null, 2) + '\n');
console.log('wrote infra/policy/trustgate-verification.json');
