import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadGatewayConfigFile } from '../../src/config/load-gateway-config.js';
import { validateMappingFile } from '../../src/mapping/validate-mapping.js';

const DIR = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML; each check names what it expects
type Manifest = Record<string, any>;

const manifests: { file: string; doc: Manifest }[] = [];
const ofKind = (kind: string): Manifest[] => manifests.filter((m) => m.doc.kind === kind).map((m) => m.doc);
const one = (kind: string): Manifest => {
  const found = ofKind(kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as Manifest;
};

beforeAll(async () => {
  const files = (await readdir(DIR)).filter((name) => name.endsWith('.yaml')).sort();
  for (const file of files) {
    const docs = parseAllDocuments(await readFile(join(DIR, file), 'utf8'));
    for (const doc of docs) {
      expect(doc.errors, `${file}: ${doc.errors.join('; ')}`).toHaveLength(0);
      const value = doc.toJS() as Manifest | null;
      if (value !== null) manifests.push({ file, doc: value });
    }
  }
});

describe('deploy/kubernetes manifests', () => {
  it('every file parses, and the kustomization lists every manifest', async () => {
    const kinds = manifests.map((m) => m.doc.kind).sort();
    expect(kinds).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'Kustomization',
        'PodDisruptionBudget',
        'Secret',
        'Service',
      ].sort(),
    );
    const kustomization = one('Kustomization');
    const files = manifests.filter((m) => m.doc.kind !== 'Kustomization').map((m) => m.file);
    expect([...kustomization.resources].sort()).toEqual([...new Set(files)].sort());
    for (const { doc } of manifests.filter((m) => m.doc.kind !== 'Kustomization')) {
      expect(doc.apiVersion, doc.kind).toBeTypeOf('string');
      expect(doc.metadata?.name, doc.kind).toBe(
        doc.kind === 'ConfigMap'
          ? 'crosswalk-config'
          : doc.kind === 'Secret'
            ? 'crosswalk-credentials'
            : 'crosswalk',
      );
    }
  });

  it('Deployment: ≥ 2 replicas, non-root, read-only root filesystem, requests and limits', () => {
    const deployment = one('Deployment');
    expect(deployment.apiVersion).toBe('apps/v1');
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    const [container, ...others] = pod.containers as Manifest[];
    expect(others).toHaveLength(0);
    expect(container?.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    for (const kind of ['requests', 'limits']) {
      expect(container?.resources[kind].cpu, kind).toBeDefined();
      expect(container?.resources[kind].memory, kind).toBeDefined();
    }
    // Graceful shutdown (25 s drain) fits in the grace period.
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(25);
    // A read-only root still needs a writable /tmp.
    const mounts = container?.volumeMounts as Manifest[];
    const tmp = mounts.find((mount) => mount.mountPath === '/tmp');
    expect(pod.volumes.find((volume: Manifest) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
  });

  it('Deployment: liveness on /healthz, readiness on /readyz, at the container port the gateway listens on', async () => {
    const container = one('Deployment').spec.template.spec.containers[0] as Manifest;
    const portNames = (container.ports as Manifest[]).map((port) => port.name);
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/healthz', scheme: 'HTTPS' });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/readyz', scheme: 'HTTPS' });
    expect(portNames).toContain(container.livenessProbe.httpGet.port);
    expect(portNames).toContain(container.readinessProbe.httpGet.port);
  });

  it('Service, PodDisruptionBudget and HorizontalPodAutoscaler select the Deployment', () => {
    const deployment = one('Deployment');
    const labels = deployment.spec.template.metadata.labels as Record<string, string>;
    const matches = (selector: Record<string, string>) =>
      Object.entries(selector).every(([key, value]) => labels[key] === value);
    expect(matches(deployment.spec.selector.matchLabels)).toBe(true);

    const service = one('Service');
    expect(matches(service.spec.selector)).toBe(true);
    const containerPorts = (deployment.spec.template.spec.containers[0].ports as Manifest[]).map(
      (port) => port.name,
    );
    for (const port of service.spec.ports as Manifest[]) expect(containerPorts).toContain(port.targetPort);

    const budget = one('PodDisruptionBudget');
    expect(budget.apiVersion).toBe('policy/v1');
    expect(matches(budget.spec.selector.matchLabels)).toBe(true);
    expect(budget.spec.minAvailable).toBeGreaterThanOrEqual(1);
    expect(budget.spec.minAvailable).toBeLessThan(deployment.spec.replicas);

    const autoscaler = one('HorizontalPodAutoscaler');
    expect(autoscaler.apiVersion).toBe('autoscaling/v2');
    expect(autoscaler.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'crosswalk',
    });
    expect(autoscaler.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(autoscaler.spec.maxReplicas).toBeGreaterThan(autoscaler.spec.minReplicas);
  });

  it('credentials come from the Secret, never from the ConfigMap or the Deployment', () => {
    const secret = one('Secret');
    const container = one('Deployment').spec.template.spec.containers[0] as Manifest;
    expect(container.envFrom).toContainEqual({ secretRef: { name: secret.metadata.name } });
    const literalEnv = (container.env as Manifest[]).map((entry) => entry.name as string);
    for (const key of Object.keys(secret.stringData)) expect(literalEnv).not.toContain(key);
    const configText = JSON.stringify(one('ConfigMap').data);
    for (const value of Object.values(secret.stringData) as string[]) expect(configText).not.toContain(value);
  });

  describe('the ConfigMap, as the pod sees it', () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      const deployment = one('Deployment');
      const container = deployment.spec.template.spec.containers[0] as Manifest;
      const configMap = one('ConfigMap');
      // Mounted where the Deployment mounts it; the config names its mapping relative to itself.
      const mount = (container.volumeMounts as Manifest[]).find((m) => {
        const volume = (deployment.spec.template.spec.volumes as Manifest[]).find((v) => v.name === m.name);
        return volume?.configMap?.name === configMap.metadata.name;
      });
      expect(mount?.mountPath).toBe('/etc/crosswalk/config');
      dir = await mkdtemp(join(tmpdir(), 'crosswalk-k8s-'));
      for (const [name, text] of Object.entries(configMap.data as Record<string, string>)) {
        await writeFile(join(dir, name), text);
      }
      // The pod's environment: the Deployment's values plus the Secret's keys.
      env = {
        ...Object.fromEntries((container.env as Manifest[]).map((entry) => [entry.name, entry.value])),
        ...one('Secret').stringData,
      };
      expect(container.args).toEqual(['serve', '--config', `${mount?.mountPath}/crosswalk.yaml`]);
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('holds a mapping that `crosswalk validate` accepts', async () => {
      const mappings = Object.keys(one('ConfigMap').data).filter((name) => name !== 'crosswalk.yaml');
      expect(mappings.length).toBeGreaterThan(0);
      for (const name of mappings) {
        const result = await validateMappingFile(join(dir, name), env);
        expect(result, name).toEqual({ ok: true });
      }
      // Without the Secret's values the same check fails: the mapping really reads them.
      const withoutSecret = await validateMappingFile(join(dir, 'active-directory.yaml'), {
        ...env,
        AD_BIND_PASSWORD: undefined,
      });
      expect(withoutSecret.ok).toBe(false);
    });

    it('holds a gateway configuration that loads, listening on the container port with TLS from the mounted Secret', async () => {
      const config = await loadGatewayConfigFile(join(dir, 'crosswalk.yaml'), env);
      const container = one('Deployment').spec.template.spec.containers[0] as Manifest;
      expect(config.port).toBe(container.ports[0].containerPort);
      expect(config.host).toBe('0.0.0.0');
      expect(config.tenants.map((tenant) => tenant.mappingFile)).toEqual([
        join(dir, 'active-directory.yaml'),
      ]);
      const tlsMount = (container.volumeMounts as Manifest[]).find((m) => m.name === 'tls');
      expect(tlsMount?.mountPath).toBe('/etc/crosswalk/tls');
      expect(JSON.stringify(config.server.tls)).toContain('/etc/crosswalk/tls/tls.crt');
    });
  });
});
