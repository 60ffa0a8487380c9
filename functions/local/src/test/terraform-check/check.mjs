// Checks a Terraform module against the google and google-beta providers' schemas offline: `terraform validate` needs
// the providers, which cannot be downloaded here. The schemas come from @cdktf/provider-google(-beta), whose bindings
// are generated from `terraform providers schema -json` of the provider version in their package.json
// (cdktf.provider.version), so every resource's arguments, nested blocks, required arguments and computed-only
// attributes are readable from its generated index.js / index.d.ts. The module is parsed by @cdktf/hcl2json
// (HashiCorp's HCL parser compiled to WebAssembly), so every file is read the way Terraform reads it.
//
// Flags, at any depth: unknown resource or data source types; unknown arguments and blocks (inside `dynamic` blocks
// too); missing required arguments and blocks; computed-only attributes that are set; and an argument written as a
// block or a block as an argument. Meta-arguments (count, for_each, depends_on, lifecycle, provider, provisioner,
// connection), variables, locals, outputs and other providers' resources are not the provider's business.
//
// It also evaluates, for the variables given, the simple count / for_each expressions (var.x ? 1 : 0, a local that is
// one, == and != on strings, !, &&, ||) and lists which resources are active: what would be planned. Anything it cannot
// evaluate counts as active.
//
// Fields newer than the bindings (which stop at 6.50.0) come from overlay.json beside this file, each with the
// provider version that brings it; an overlay field is accepted only when versions.tf's lower bound for that provider
// is at least that version (otherwise a provider that versions.tf allows would reject it at plan).
//
// Usage: node check.mjs <module dir> [--var name=value]... [--var-file file.tfvars]...
// Prints one JSON object: {providers, problems, active, inactive, checked}; exits 1 when there are problems.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktf/hcl2json';

const here = path.dirname(fileURLToPath(import.meta.url));
const META = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);
const PACKAGES = { google: '@cdktf/provider-google', 'google-beta': '@cdktf/provider-google-beta' };

// ---------------------------------------------------------------------------------------------------------------
// Arguments
const args = process.argv.slice(2);
const moduleDir = args.shift();
if (!moduleDir) {
  console.error('usage: node check.mjs <module dir> [--var name=value]... [--var-file file.tfvars]...');
  process.exit(2);
}
const overrides = {};
const varFiles = [];
while (args.length) {
  const flag = args.shift();
  const value = args.shift();
  if (flag === '--var') {
    const eq = value.indexOf('=');
    overrides[value.slice(0, eq)] = literal(value.slice(eq + 1));
  } else if (flag === '--var-file') {
    varFiles.push(value);
  } else {
    console.error('unknown flag ' + flag);
    process.exit(2);
  }
}

function literal(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The module
const config = { resource: [], data: [], variable: {}, locals: {}, terraform: [] };
for (const file of fs.readdirSync(moduleDir).filter(f => f.endsWith('.tf')).sort()) {
  const parsed = await parse(file, fs.readFileSync(path.join(moduleDir, file), 'utf8'));
  for (const [type, byName] of Object.entries(parsed.resource || {})) {
    for (const [name, bodies] of Object.entries(byName)) config.resource.push({ file, type, name, body: bodies[0] });
  }
  for (const [type, byName] of Object.entries(parsed.data || {})) {
    for (const [name, bodies] of Object.entries(byName)) config.data.push({ file, type, name, body: bodies[0] });
  }
  for (const [name, bodies] of Object.entries(parsed.variable || {})) config.variable[name] = bodies[0];
  for (const block of parsed.locals || []) Object.assign(config.locals, block);
  config.terraform.push(...(parsed.terraform || []));
}

const vars = {};
for (const [name, v] of Object.entries(config.variable)) if ('default' in v) vars[name] = v.default;
for (const file of varFiles) Object.assign(vars, await parse(path.basename(file), fs.readFileSync(file, 'utf8')));
Object.assign(vars, overrides);

// ---------------------------------------------------------------------------------------------------------------
// The providers' schemas
const requiredProviders = {};
for (const block of config.terraform) {
  for (const rp of block.required_providers || []) Object.assign(requiredProviders, rp);
}

/** The lowest version a constraint such as ">= 7.21, < 8.0" allows, as [major, minor, patch]; null when unbounded. */
function lowerBound(constraint) {
  const m = /(?:>=|~>|=)\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(constraint || '') || /^\s*(\d+)\.(\d+)(?:\.(\d+))?\s*$/.exec(constraint || '');
  return m ? [Number(m[1]), Number(m[2] || 0), Number(m[3] || 0)] : null;
}

function atLeast(version, wanted) {
  for (let i = 0; i < 3; i++) if (version[i] !== wanted[i]) return version[i] > wanted[i];
  return true;
}

const overlay = JSON.parse(fs.readFileSync(path.join(here, 'overlay.json'), 'utf8'));
const providers = {};
const problems = [];

function provider(name) {
  if (!providers[name]) {
    const dir = path.join(here, 'node_modules', PACKAGES[name]);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const constraint = requiredProviders[name]?.version;
    providers[name] = { dir, bindings: `${pkg.name}@${pkg.version}`, version: pkg.cdktf.provider.version, constraint, schemas: {} };
  }
  return providers[name];
}

function camel(snake) {
  return snake.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

function snake(name) {
  return name.replace(/[A-Z]/g, c => '_' + c.toLowerCase());
}

/** `snake: mapper(struct.camel)` lines of a generated *ToTerraform function or synthesizeAttributes(). */
function entries(body) {
  const out = [];
  for (const m of body.matchAll(/^\s*(\w+): (.*)\((?:struct|this)\.(_?\w+)(?:\.internalValue)?\),?$/gm)) {
    const block = m[2].match(/(?:^|\()(\w+)ToTerraform(?:,|\)|$)/);
    const generated = block && !m[2].startsWith('cdktf.' + block[1]) && block[1] !== 'cdktf' && !/^cdktf\.\w+ToTerraform$/.test(m[2]);
    out.push({ name: m[1], camel: m[3].replace(/^_/, ''), block: generated ? block[1] : null });
  }
  return out;
}

/** Per class: the attribute getters (snake names) that have no setter and no put method: computed only. */
function computedOnly(js) {
  const classes = {};
  for (const m of js.matchAll(/^class (\w+) extends [\w.]+ \{([\s\S]*?)^\}/gm)) {
    const setters = new Set([...m[2].matchAll(/^ {4}(?:set|put)(?: |)(\w+)\(/gm)].map(s => s[1].replace(/^[A-Z]/, c => c.toLowerCase())));
    const computed = new Set();
    for (const g of m[2].matchAll(/^ {4}get (\w+)\(\) \{\n\s*return ([^\n]*)/gm)) {
      const [, name, ret] = g;
      if (name.endsWith('Input') || name === 'internalValue' || setters.has(name)) continue;
      const attr = /Attribute\('(\w+)'\)|interpolationForAttribute\('(\w+)'\)/.exec(ret);
      computed.add(attr ? attr[1] || attr[2] : snake(name.replace(/^_/, '')));
    }
    classes[m[1]] = computed;
  }
  return classes;
}

function moduleOf(providerName, type, data) {
  const p = provider(providerName);
  const rest = type.replace(/^google_/, '').replace(/_/g, '-');
  const candidates = data ? ['data-google-' + rest] : [rest, 'google-' + rest];
  for (const c of candidates) {
    const file = path.join(p.dir, 'lib', c, 'index.js');
    if (fs.existsSync(file)) {
      const js = fs.readFileSync(file, 'utf8');
      if (js.includes(`.tfResourceType = "${type}"`) || js.includes(`.tfResourceType = '${type}'`)) {
        return { js, dts: fs.readFileSync(path.join(p.dir, 'lib', c, 'index.d.ts'), 'utf8') };
      }
    }
  }
  return null;
}

/** The schema of one resource or data source type: {arguments, required, computed, blocks}, recursively; null if unknown. */
function schemaOf(providerName, type, data) {
  const p = provider(providerName);
  const key = (data ? 'data.' : '') + type;
  if (key in p.schemas) return p.schemas[key];
  const mod = moduleOf(providerName, type, data);
  if (!mod) return (p.schemas[key] = null);
  const functions = {};
  for (const m of mod.js.matchAll(/^function (\w+)ToTerraform\(struct\) \{([\s\S]*?)^\}/gm)) {
    functions[m[1]] = entries(m[2].slice(m[2].lastIndexOf('return {')));
  }
  const interfaces = {};
  for (const m of mod.dts.matchAll(/export interface (\w+)(?: extends [\w.]+)? \{([\s\S]*?)\n\}/g)) {
    interfaces[m[1]] = new Set([...m[2].matchAll(/readonly (\w+)(\??):/g)].filter(r => !r[2]).map(r => r[1]));
  }
  const computed = computedOnly(mod.js);
  const top = /synthesizeAttributes\(\) \{\s*return \{([\s\S]*?)\n\s*\};/.exec(mod.js)[1];
  const resourceClass = /^class (\w+) extends cdktf\.Terraform(?:Resource|DataSource) \{/m.exec(mod.js)[1];
  const configInterface = resourceClass + 'Config';

  function build(list, iface, cls, seen) {
    const node = { arguments: [], required: [], computed: [], blocks: {} };
    const required = interfaces[iface] || new Set();
    for (const e of list) {
      if (e.block && functions[e.block] && !seen.has(e.block)) {
        const child = e.block[0].toUpperCase() + e.block.slice(1);
        node.blocks[e.name] = build(functions[e.block], child, child + 'OutputReference', new Set([...seen, e.block]));
      } else {
        node.arguments.push(e.name);
      }
      if (required.has(e.camel)) node.required.push(e.name);
    }
    node.computed = [...(computed[cls] || [])].filter(c => !node.arguments.includes(c) && !(c in node.blocks));
    return node;
  }
  const schema = build(entries(top), configInterface, resourceClass, new Set());
  applyOverlay(providerName, type, data, schema);
  return (p.schemas[key] = schema);
}

function applyOverlay(providerName, type, data, schema) {
  const p = provider(providerName);
  const bound = lowerBound(p.constraint);
  for (const entry of overlay.fields) {
    if (entry.provider !== providerName || entry.type !== type || Boolean(entry.data) !== Boolean(data)) continue;
    const since = entry.since.split('.').map(Number);
    if (!bound || !atLeast(bound, since)) {
      entry.rejected = `${p.constraint ?? 'no constraint'} allows ${providerName} < ${entry.since}`;
      continue;
    }
    let node = schema;
    for (const part of entry.path ? entry.path.split('.') : []) node = node.blocks[part];
    node.arguments.push(...(entry.arguments || []));
    Object.assign(node.blocks, entry.blocks || {});
    entry.applied = true;
  }
}

function overlayHint(providerName, type, where, name) {
  const entry = overlay.fields.find(f => f.provider === providerName && f.type === type
      && ((f.arguments || []).includes(name) || name in (f.blocks || {})));
  return entry ? ` (brought by ${providerName} ${entry.since}: versions.tf must not allow older providers)` : '';
}

// ---------------------------------------------------------------------------------------------------------------
// The check
function isBlockValue(value) {
  return Array.isArray(value) && value.every(v => v !== null && typeof v === 'object' && !Array.isArray(v));
}

function check(where, body, node, ctx, top) {
  const dynamic = body.dynamic || {};
  for (const [key, value] of Object.entries(body)) {
    if (top && META.has(key)) continue;
    if (key === 'dynamic') {
      for (const [name, generators] of Object.entries(value)) {
        const blockSchema = node.blocks[name];
        if (!blockSchema) {
          problems.push(`${where}: no such block "${name}" (in a dynamic block)` + overlayHint(ctx.provider, ctx.type, where, name));
          continue;
        }
        for (const generator of generators) {
          for (const k of Object.keys(generator)) {
            if (!['for_each', 'content', 'iterator', 'labels'].includes(k)) problems.push(`${where}.dynamic.${name}: "${k}" is not an argument of a dynamic block`);
          }
          if (!('for_each' in generator)) problems.push(`${where}.dynamic.${name}: for_each is missing`);
          for (const content of generator.content || []) check(`${where}.${name}`, content, blockSchema, ctx, false);
        }
      }
    } else if (key === 'timeouts' && top) {
      continue;
    } else if (key in node.blocks) {
      if (!isBlockValue(value)) {
        problems.push(`${where}: "${key}" is a block, written as an argument (${key} = ...)`);
        continue;
      }
      for (const each of value) check(`${where}.${key}`, each, node.blocks[key], ctx, false);
    } else if (node.arguments.includes(key)) {
      continue;
    } else if (node.computed.includes(key)) {
      problems.push(`${where}: "${key}" is computed by the provider and cannot be set`);
    } else {
      problems.push(`${where}: no such argument or block "${key}"` + overlayHint(ctx.provider, ctx.type, where, key));
    }
  }
  for (const required of node.required) {
    if (!(required in body) && !(required in dynamic)) problems.push(`${where}: required "${required}" is not set`);
  }
}

function providerOf(item) {
  const explicit = typeof item.body.provider === 'string' ? item.body.provider.replace(/^\$\{|\}$/g, '').split('.')[0] : null;
  return explicit || item.type.split('_')[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Which resources are active for these variables (a small evaluator for the gating expressions)
const UNKNOWN = Symbol('unknown');

function evaluate(raw, depth = 0) {
  if (typeof raw !== 'string') return raw;
  const whole = /^\$\{([\s\S]*)\}$/.exec(raw);
  if (!whole) return raw.includes('${') ? UNKNOWN : raw;
  try {
    return expression(whole[1], depth);
  } catch {
    return UNKNOWN;
  }
}

function expression(text, depth) {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|==|!=|&&|\|\||[?:!()[\]{},]|[A-Za-z_][\w.-]*|\d+(?:\.\d+)?|\S/g) || [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const expect = t => { if (next() !== t) throw new Error('expected ' + t); };
  function conditional() {
    const c = or();
    if (peek() !== '?') return c;
    next();
    const a = conditional();
    expect(':');
    const b = conditional();
    if (c === UNKNOWN) return UNKNOWN;
    return c ? a : b;
  }
  function or() {
    let l = and();
    while (peek() === '||') { next(); const r = and(); l = l === UNKNOWN || r === UNKNOWN ? (l === true || r === true ? true : UNKNOWN) : (l || r); }
    return l;
  }
  function and() {
    let l = equality();
    while (peek() === '&&') { next(); const r = equality(); l = l === UNKNOWN || r === UNKNOWN ? (l === false || r === false ? false : UNKNOWN) : (l && r); }
    return l;
  }
  function equality() {
    let l = unary();
    while (peek() === '==' || peek() === '!=') {
      const op = next();
      const r = unary();
      l = l === UNKNOWN || r === UNKNOWN ? UNKNOWN : (op === '==' ? JSON.stringify(l) === JSON.stringify(r) : JSON.stringify(l) !== JSON.stringify(r));
    }
    return l;
  }
  function unary() {
    if (peek() === '!') { next(); const v = unary(); return v === UNKNOWN ? UNKNOWN : !v; }
    return primary();
  }
  /** Skips to the bracket that closes the one just read; what is inside is not evaluated. */
  function skip(open, close) {
    for (let level = 1; level > 0;) {
      const t = next();
      if (t === undefined) throw new Error('end');
      if (t === open) level++;
      if (t === close) level--;
    }
    return UNKNOWN;
  }
  function primary() {
    const t = next();
    if (t === undefined) throw new Error('end');
    if (t === '(') { const v = conditional(); expect(')'); return v; }
    if (t === '[' && peek() === 'for') return skip('[', ']');
    if (/^[a-z]\w*$/.test(t) && peek() === '(') {
      next();
      if (!['toset', 'tolist', 'tomap'].includes(t)) return skip('(', ')');
      const v = conditional();
      expect(')');
      return v;
    }
    if (t === '[') {
      const items = [];
      while (peek() !== ']') { items.push(conditional()); if (peek() === ',') next(); }
      next();
      return items.includes(UNKNOWN) ? UNKNOWN : items;
    }
    if (t === '{') { expect('}'); return {}; }
    if (t.startsWith('"')) return JSON.parse(t);
    if (/^\d/.test(t)) return Number(t);
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    if (t.startsWith('var.')) { const name = t.slice(4); return name in vars && !name.includes('.') ? vars[name] : UNKNOWN; }
    if (t.startsWith('local.')) {
      const name = t.slice(6);
      if (depth > 8 || !(name in config.locals) || peek() === '(') return UNKNOWN;
      return evaluate(config.locals[name], depth + 1);
    }
    throw new Error('unsupported ' + t);
  }
  const v = conditional();
  if (i !== tokens.length) return UNKNOWN;
  return v;
}

function active(item) {
  if ('count' in item.body) {
    const n = evaluate(item.body.count);
    if (n !== UNKNOWN) return Number(n) > 0;
  }
  if ('for_each' in item.body) {
    const e = evaluate(item.body.for_each);
    if (e !== UNKNOWN && e !== null && typeof e === 'object') return Object.keys(e).length > 0;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
const checked = [];
const activeList = [];
const inactiveList = [];
for (const [kind, items] of [['resource', config.resource], ['data', config.data]]) {
  for (const item of items) {
    const address = (kind === 'data' ? 'data.' : '') + `${item.type}.${item.name}`;
    (active(item) ? activeList : inactiveList).push(address);
    const providerName = providerOf(item);
    if (!(providerName in PACKAGES)) continue;
    if (!requiredProviders[providerName]) problems.push(`${address}: provider "${providerName}" is not in required_providers`);
    const schema = schemaOf(providerName, item.type, kind === 'data');
    if (!schema) {
      problems.push(`${address}: no ${kind === 'data' ? 'data source' : 'resource'} type "${item.type}" in ${providerName} ${provider(providerName).version}`);
      continue;
    }
    check(address, item.body, schema, { provider: providerName, type: item.type }, true);
    checked.push(address);
  }
}
for (const entry of overlay.fields) {
  if (entry.rejected && !entry.applied) {
    // Only a problem when the module writes the field: then the unknown-argument problem above names the version.
  }
}

const out = {
  providers: Object.fromEntries(Object.entries(providers).map(([n, p]) => [n, { bindings: p.bindings, schema: p.version, constraint: p.constraint ?? null }])),
  overlay: overlay.fields.map(f => ({ field: `${f.provider} ${f.type} ${f.path || ''} ${[...(f.arguments || []), ...Object.keys(f.blocks || {})].join(',')}`.trim(), since: f.since, applied: Boolean(f.applied) })),
  problems,
  checked,
  active: activeList,
  inactive: inactiveList,
};
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
process.exit(problems.length ? 1 : 0);
