import { Extension } from '@tiptap/core'
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { isChangeOrigin } from '@tiptap/extension-collaboration'
import { type Anchor, bindingOf, type Resolved, resolveAnchor } from './anchors.ts'

/** Something anchored to a passage: a comment thread, an amendment, a bracket. */
export interface AnchoredItem {
  id: string
  what: 'comment' | 'amendment' | 'bracket'
  anchor: Anchor
  /** An insertion point (an insert amendment) has no passage, only a place. */
  collapsed: boolean
}

export interface Highlights {
  /** Where each item is now, by id. */
  where: Map<string, Resolved>
  decorations: DecorationSet
}

export const highlightsKey = new PluginKey<Highlights>('draftHighlights')

/** Tells the plugin the items (or the focused one) changed, so it resolves them again. */
export const REFRESH = 'refresh'

const decorate = (
  state: EditorState,
  items: AnchoredItem[],
  where: Map<string, Resolved>,
  focused: string | null,
) => {
  const decos: Decoration[] = []
  const size = state.doc.content.size
  for (const item of items) {
    const r = where.get(item.id)
    if (!r || r.detached || r.to > size) continue
    const cls = `anchored anchored-${item.what}${item.id === focused ? ' anchored-focused' : ''}`
    if (item.collapsed || r.from === r.to) {
      const mark = document.createElement('span')
      mark.className = `${cls} anchored-point`
      mark.setAttribute('aria-hidden', 'true')
      decos.push(Decoration.widget(r.from, mark, { key: `${item.id}:${focused === item.id}`, side: -1 }))
    } else {
      decos.push(Decoration.inline(r.from, r.to, { class: cls, 'data-anchored': item.id }))
    }
  }
  return DecorationSet.create(state.doc, decos)
}

const resolveAll = (state: EditorState, items: AnchoredItem[]): Map<string, Resolved> => {
  const b = bindingOf(state)
  const where = new Map<string, Resolved>()
  if (!b) return where
  for (const item of items) where.set(item.id, resolveAnchor(b, item.anchor, item.collapsed))
  return where
}

/** A local edit moves the ranges exactly as ProseMirror maps them; a deleted passage detaches. */
const mapAll = (tr: Transaction, prev: Map<string, Resolved>, items: AnchoredItem[]) => {
  const where = new Map<string, Resolved>()
  for (const item of items) {
    const r = prev.get(item.id)
    if (!r || r.detached) {
      where.set(item.id, r ?? { detached: true })
      continue
    }
    const from = tr.mapping.map(r.from, item.collapsed ? -1 : 1)
    const to = item.collapsed ? from : tr.mapping.map(r.to, -1)
    where.set(item.id, !item.collapsed && to <= from ? { detached: true } : { from, to, detached: false })
  }
  return where
}

/**
 * Highlights anchored passages without marks: decorations only, so nothing is written to the
 * shared document. Remote changes (and a change of items) re-resolve every anchor from its Yjs
 * relative positions, the source of truth; local edits map the ranges through the step.
 */
export const AnchoredHighlights = Extension.create<{
  items: () => AnchoredItem[]
  focused: () => string | null
}>({
  name: 'anchoredHighlights',
  addOptions: () => ({ items: () => [], focused: () => null }),
  addProseMirrorPlugins() {
    const { items, focused } = this.options
    return [
      new Plugin<Highlights>({
        key: highlightsKey,
        state: {
          init: (_, state) => ({ where: new Map(), decorations: DecorationSet.create(state.doc, []) }),
          apply: (tr, prev, _old, state) => {
            const list = items()
            const refresh = tr.getMeta(highlightsKey) === REFRESH
            if (!refresh && !tr.docChanged) return prev
            const where =
              refresh || isChangeOrigin(tr) ? resolveAll(state, list) : mapAll(tr, prev.where, list)
            return { where, decorations: decorate(state, list, where, focused()) }
          },
        },
        props: { decorations: (state) => highlightsKey.getState(state)?.decorations },
      }),
    ]
  },
})
