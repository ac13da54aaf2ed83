import { readFileSync } from 'node:fs';

/**
 * `node dist/bench/bench/summarise-profile.js <file.cpuprofile> [rows]`: self time by function and by package (or
 * first-party directory), as percentages of the profiled samples — enough to see where a cold verification's CPU goes
 * without opening DevTools.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [path, rowsArg] = process.argv.slice(2);
if (!path) throw new Error('usage: summarise-profile <file.cpuprofile> [rows]');
const rows = Number(rowsArg ?? 40);
const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const byFunction = new Map<string, number>();
const byArea = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = (byId.get(id) as ProfileNode).callFrame;
  const where = frame.url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|dist)\//, '$1/');
  byFunction.set(`${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`, (byFunction.get(`${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`) ?? 0) + us);
  byArea.set(area(frame.url, frame.functionName), (byArea.get(area(frame.url, frame.functionName)) ?? 0) + us);
}

const show = (title: string, map: Map<string, number>, n: number) => {
  process.stdout.write(`\n${title} (${(total / 1000).toFixed(0)} ms sampled)\n`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) process.stdout.write(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${name}\n`);
};
show('self time by area', byArea, 30);
show('self time by function', byFunction, rows);

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const own = /dist\/(?:bench\/)?((?:shared|bench|host|functions)\/[^/]+)/.exec(url);
  return own ? (own[1] as string) : url;
}

// `--callers <name>`: the call stacks (innermost first, 8 frames) that spend self time in functions named <name>.
const callersOf = process.argv.indexOf('--callers');
if (callersOf > 0) {
  const wanted = process.argv[callersOf + 1] ?? '';
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stacks = new Map<string, number>();
  for (const [id, us] of selfUs) {
    if ((byId.get(id) as ProfileNode).callFrame.functionName !== wanted) continue;
    const frames: string[] = [];
    for (let at: number | undefined = parent.get(id); at !== undefined && frames.length < 8; at = parent.get(at)) {
      const frame = (byId.get(at) as ProfileNode).callFrame;
      frames.push(`${frame.functionName || '(anonymous)'}@${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`);
    }
    stacks.set(frames.join(' < '), (stacks.get(frames.join(' < ')) ?? 0) + us);
  }
  show(`callers of ${wanted}`, stacks, 12);
}

// `--inclusive`: time under each first-party function (a sample counts once per function on its stack).
if (process.argv.includes('--inclusive')) {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = (byId.get(at) as ProfileNode).callFrame;
      if (!/dist\/bench\/shared\//.test(frame.url)) continue;
      const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*dist\/bench\//, '')}:${frame.lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
  show('inclusive time of first-party functions', inclusive, rows);
}
