// Lint rule Biome lacks: no circular imports, and packages never import apps.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const root = resolve(dirname(new URL(import.meta.url).pathname), '..')
const SOURCE = /\.(ts|tsx|mts)$/
const files = []
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p)
    else if (SOURCE.test(name)) files.push(p)
  }
}
for (const top of ['apps', 'packages']) if (existsSync(join(root, top))) walk(join(root, top))

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g
const resolveLocal = (from, spec) => {
  const base = resolve(dirname(from), spec)
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')])
    if (existsSync(c) && statSync(c).isFile()) return c
  return null
}
const workspaceEntry = (spec) => {
  const m = /^@roundtable\/([a-z-]+)$/.exec(spec)
  if (!m) return null
  for (const top of ['packages', 'apps']) {
    const p = join(root, top, m[1], 'src', 'index.ts')
    if (existsSync(p)) return p
  }
  return null
}

const problems = []
const graph = new Map()
for (const f of files) {
  const text = readFileSync(f, 'utf8')
  const edges = []
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2]
    const inPackage = relative(root, f).startsWith('packages/')
    if (
      inPackage &&
      (/^@roundtable\/(server|web|tests|bench)/.test(spec) ||
        (spec.startsWith('.') && relative(root, resolve(dirname(f), spec)).startsWith('apps/')))
    )
      problems.push(`${relative(root, f)}: a package must not import an app ("${spec}")`)
    const target = spec.startsWith('.') ? resolveLocal(f, spec) : workspaceEntry(spec)
    if (target) edges.push(target)
  }
  graph.set(f, edges)
}

// Tarjan's strongly connected components: any component with more than one file is a cycle.
let index = 0
const idx = new Map()
const low = new Map()
const stack = []
const on = new Set()
const strong = (v) => {
  idx.set(v, index)
  low.set(v, index++)
  stack.push(v)
  on.add(v)
  for (const w of graph.get(v) ?? []) {
    if (!idx.has(w)) {
      strong(w)
      low.set(v, Math.min(low.get(v), low.get(w)))
    } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)))
  }
  if (low.get(v) === idx.get(v)) {
    const comp = []
    let w
    do {
      w = stack.pop()
      on.delete(w)
      comp.push(w)
    } while (w !== v)
    if (comp.length > 1) problems.push(`circular imports: ${comp.map((c) => relative(root, c)).join(' → ')}`)
  }
}
for (const f of graph.keys()) if (!idx.has(f)) strong(f)

if (problems.length) {
  for (const p of problems) console.error(p)
  process.exit(1)
}
console.log(`imports ok: ${files.length} files, no cycles, packages do not import apps`)
