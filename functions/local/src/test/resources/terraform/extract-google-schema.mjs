// Extracts, from @cdktf/provider-google's generated bindings, the configuration schema of the google provider's
// resources: per resource type its arguments, the required ones, and its nested blocks (recursively). The bindings
// are generated from `terraform providers schema -json` of the provider version in their package.json (cdktf.provider),
// so their *ToTerraform functions list exactly the argument names the provider accepts.
// Usage: node extract-google-schema.mjs <node_modules/@cdktf/provider-google> <resource type>... > schema.json
import fs from 'node:fs';
import path from 'node:path';

const [pkgDir, ...types] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));

function parseModule(dir) {
  const js = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
  const dts = fs.readFileSync(path.join(dir, 'index.d.ts'), 'utf8');
  const functions = {};
  for (const m of js.matchAll(/^function (\w+)ToTerraform\(struct\) \{([\s\S]*?)^\}/gm)) {
    functions[m[1]] = entries(m[2].slice(m[2].lastIndexOf('return {')));
  }
  const synth = js.match(/synthesizeAttributes\(\) \{\s*return \{([\s\S]*?)\n\s*\};/);
  const interfaces = {};
  for (const m of dts.matchAll(/export interface (\w+)(?: extends [\w.]+)? \{([\s\S]*?)\n\}/g)) {
    const required = new Set();
    for (const p of m[2].matchAll(/readonly (\w+)(\??):/g)) if (!p[2]) required.add(p[1]);
    interfaces[m[1]] = required;
  }
  return { functions, top: entries(synth[1]), interfaces };
}

// `snake_name: mapper(struct.camelName)` lines: a block when the mapper is a generated *ToTerraform function.
function entries(body) {
  const out = [];
  for (const m of body.matchAll(/^\s*(\w+): (.*)\((?:struct|this)\.(_?\w+)(?:\.internalValue)?\),?$/gm)) {
    const block = m[2].match(/(?:^|\()(\w+)ToTerraform(?:,|\)|$)/);
    const generated = block && !m[2].startsWith('cdktf.' + block[1]) && block[1] !== 'cdktf' && !/^cdktf\.\w+ToTerraform$/.test(m[2]);
    out.push({ name: m[1], camel: m[3].replace(/^_/, ''), block: generated ? block[1] : null });
  }
  return out;
}

function build(mod, list, iface, seen = new Set()) {
  const node = { arguments: [], required: [], blocks: {} };
  const required = mod.interfaces[iface] || new Set();
  for (const e of list) {
    if (e.name === 'timeouts') continue;
    if (e.block && mod.functions[e.block] && !seen.has(e.block)) {
      const child = e.block[0].toUpperCase() + e.block.slice(1);
      node.blocks[e.name] = build(mod, mod.functions[e.block], child, new Set([...seen, e.block]));
      if (required.has(e.camel)) node.required.push(e.name);
    } else {
      node.arguments.push(e.name);
      if (required.has(e.camel)) node.required.push(e.name);
    }
  }
  return node;
}

const schema = { provider: pkg.cdktf.provider, from: `${pkg.name}@${pkg.version}`, resources: {} };
for (const type of types) {
  const dir = path.join(pkgDir, 'lib', type.replace(/^google_/, '').replace(/_/g, '-'));
  const mod = parseModule(dir);
  const iface = Object.keys(mod.interfaces).find(n => n.endsWith('Config') && !n.includes('Timeouts')
      && n.toLowerCase() === type.replace(/^google_/, '').replace(/_/g, '') + 'config');
  schema.resources[type] = build(mod, mod.top, iface);
}
process.stdout.write(JSON.stringify(schema, null, 1) + '\n');
