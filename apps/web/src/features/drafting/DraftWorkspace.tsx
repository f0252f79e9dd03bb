import { BRIEF_FIELD } from '@roundtable/doc-schema'
import { can, type DraftView } from '@roundtable/protocol'
import { Extension } from '@tiptap/core'
import type { Editor } from '@tiptap/react'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting, useNamedDoc } from '../../app/meeting-runtime.tsx'
import { Loading } from '../../shared/ui/LoadState.tsx'
import { DraftEditor } from '../brief/DraftEditor.tsx'
import { Amendments } from './Amendments.tsx'
import { Brackets } from './Brackets.tsx'
import { Comments } from './Comments.tsx'
import { Downloads } from './Downloads.tsx'
import type { DraftItems } from './drafting-slice.ts'
import { type AnchoredItem, AnchoredHighlights, highlightsKey, REFRESH } from './highlights.ts'
import { type Captured, type PassageAction, PassageForm } from './PassageForm.tsx'
import { capture, needsPassage, PassageTools } from './PassageTools.tsx'
import { SeedOutline } from './SeedOutline.tsx'
import { useAnchored } from './use-anchored.ts'
import { useDraftItems } from './use-draft-items.ts'
import { Versions } from './Versions.tsx'
import { isOpen } from './amendments.ts'

const anchoredItems = (items: DraftItems): AnchoredItem[] => [
  ...items.comments
    .filter((c) => c.parentId === null && !c.resolved)
    .map((c) => ({ id: c.id, what: 'comment' as const, anchor: c.anchor, collapsed: false })),
  ...items.amendments
    .filter(isOpen)
    .map((a) => ({ id: a.id, what: 'amendment' as const, anchor: a.anchor, collapsed: a.type === 'insert' })),
  ...items.brackets
    .filter((b) => b.status === 'open')
    .map((b) => ({ id: b.id, what: 'bracket' as const, anchor: b.anchor, collapsed: false })),
]

/** Whether the draft's document has no content yet (an outline may be seeded into it). */
const useEmpty = (doc: import('yjs').Doc | undefined) => {
  const [empty, setEmpty] = useState(false)
  useEffect(() => {
    if (!doc) return
    const frag = doc.getXmlFragment(BRIEF_FIELD)
    const check = () => setEmpty(frag.length === 0)
    check()
    frag.observe(check)
    return () => frag.unobserve(check)
  }, [doc])
  return empty
}

/** One draft open: the co-editing editor, its comments, amendments and brackets beside it, versions and downloads below. */
export const DraftWorkspace = ({ draft, onOpenVotes }: { draft: DraftView; onOpenVotes: () => void }) => {
  const { t } = useTranslation()
  const handle = useNamedDoc(draft.docName)
  const items = useDraftItems(draft.id)
  const me = useMeeting((s) => s.me)
  const chair = me ? can(me.role, 'runDrafting') : false
  const [editor, setEditor] = useState<Editor | null>(null)
  const [form, setForm] = useState<{ action: PassageAction; captured: Captured } | null>(null)
  const empty = useEmpty(handle?.doc)

  // The plugin reads these when it resolves anchors; a change is told to it with REFRESH.
  const itemsRef = useRef<AnchoredItem[]>([])
  const focusedRef = useRef<string | null>(null)
  const actionRef = useRef<(a: PassageAction) => boolean>(() => false)
  const list = useMemo(() => anchoredItems(items), [items])
  itemsRef.current = list

  const refresh = useCallback(() => {
    if (editor && !editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(highlightsKey, REFRESH))
  }, [editor])
  // Runs again whenever the list changes (a new comment, an amendment decided).
  useEffect(() => {
    if (list) refresh()
  }, [refresh, list])

  const extensions = useMemo(
    () => [
      AnchoredHighlights.configure({ items: () => itemsRef.current, focused: () => focusedRef.current }),
      Extension.create({
        name: 'passageKeys',
        addKeyboardShortcuts: () => ({
          'Mod-Alt-m': () => actionRef.current('comment'),
          'Mod-Alt-j': () => actionRef.current('amend'),
          'Mod-Alt-b': () => actionRef.current('bracket'),
        }),
      }),
    ],
    [],
  )

  const canWrite = me ? can(me.role, 'writeDoc') : false
  const open = (action: PassageAction, captured: Captured) => setForm({ action, captured })
  actionRef.current = (action) => {
    if (!editor || !canWrite) return false
    if (needsPassage(action) && editor.state.selection.empty) return false
    const c = capture(editor)
    if (!c) return false
    open(action, c)
    return true
  }

  const anchored = useAnchored(editor)
  const show = (id: string) => {
    const r = anchored.get(id)?.resolved
    focusedRef.current = id
    refresh()
    if (!editor || !r || r.detached) return
    editor.chain().focus().setTextSelection({ from: r.from, to: r.to }).scrollIntoView().run()
  }

  const closeForm = (sent: boolean) => {
    const f = form
    setForm(null)
    if (editor && f)
      editor.chain().focus().setTextSelection({ from: f.captured.from, to: f.captured.to }).run()
    void sent
  }

  if (!handle) return <Loading />
  return (
    <div className="draft-workspace">
      <div className="draft-main">
        <DraftEditor
          key={handle.name}
          handle={handle}
          idBase={`draft-${draft.id}`}
          title={draft.title}
          extensions={extensions}
          onEditor={setEditor}
          tools={(e, writable) => (writable ? <PassageTools editor={e} onAction={open} /> : null)}
        />
        {form ? (
          <PassageForm draftId={draft.id} action={form.action} captured={form.captured} onDone={closeForm} />
        ) : null}
        {chair && empty ? <SeedOutline draft={draft} /> : null}
      </div>
      <aside className="draft-side" aria-label={t('drafting.side', { title: draft.title })}>
        <Amendments items={items} anchored={anchored} onShow={show} onOpenVotes={onOpenVotes} />
        <Comments items={items} anchored={anchored} onShow={show} />
        <Brackets items={items} editor={editor} onShow={show} />
      </aside>
      <div className="draft-below">
        <Versions draft={draft} versions={items.versions} />
        <Downloads draft={draft} />
      </div>
    </div>
  )
}
