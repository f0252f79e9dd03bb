import { BRIEF_FIELD } from '@roundtable/doc-schema'
import { can } from '@roundtable/protocol'
import type { Extensions } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { type Editor, EditorContent, useEditor } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import type { TFunction } from 'i18next'
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import * as Y from 'yjs'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import type { DocLinkHandle } from '../../shared/api/docs.ts'
import { colourFor } from '../presence/colours.ts'
import { identityOf, type PresenceIdentity, presenceParts, WHO_SEPARATOR } from '../presence/who.ts'
import '../presence/who.css'
import { BriefToolbar } from './BriefToolbar.tsx'

/** Whose each caret label is, so a language switch can relabel carets already on the page. */
const caretOwners = new WeakMap<HTMLElement, PresenceIdentity>()

/** A caret label's text: the name (cut short first on a narrow screen), then delegation or role. */
const writeCaretLabel = (label: HTMLElement, t: TFunction) => {
  const who = caretOwners.get(label)
  if (!who) return
  const { name, what } = presenceParts(who, t)
  const nameEl = document.createElement('span')
  nameEl.classList.add('who-name')
  nameEl.textContent = name
  label.replaceChildren(...(name ? [nameEl] : []), name && what ? `${WHO_SEPARATOR}${what}` : what)
}

/**
 * Another person's caret: their colour, with their name and delegation (or role) on a label that
 * keeps AA contrast. `user` is their awareness `user`, whose identity fields the server stamped.
 */
const renderCaret = (user: Record<string, unknown>, t: TFunction): HTMLElement => {
  const caret = document.createElement('span')
  caret.classList.add('collaboration-carets__caret')
  const colour = typeof user.color === 'string' ? user.color : '#1a5fb4'
  caret.style.borderColor = colour
  const label = document.createElement('span')
  label.classList.add('collaboration-carets__label')
  label.style.backgroundColor = colour
  caretOwners.set(label, identityOf({ user }))
  writeCaretLabel(label, t)
  caret.append(label)
  // Laid out only once the editor has placed it: then a label that would run past the editor's
  // right edge (a caret near the end of a line, on a phone) opens to the left of its caret instead.
  requestAnimationFrame(() => keepLabelInside(label))
  return caret
}

/** Flips a caret label to end at its caret when, starting there, it would stick out to the right. */
const keepLabelInside = (label: HTMLElement): void => {
  if (!label.isConnected) return
  const editor = label.closest('.ProseMirror') ?? document.documentElement
  const edge = Math.min(editor.getBoundingClientRect().right, document.documentElement.clientWidth)
  label.classList.toggle('collaboration-carets__label--end', label.getBoundingClientRect().right > edge)
}

/**
 * Whether the editor's Yjs binding can render the draft at all. It maps every top-level child
 * as an element and throws on anything else (text or a hook at the top level), inside a Yjs
 * observer where no error boundary sees it, and the editor would silently stop following the
 * document. Elements it does not know are no such problem: it leaves them out.
 */
const renderable = (fragment: Y.XmlFragment): boolean =>
  fragment.toArray().every((child) => child instanceof Y.XmlElement)

/** Throws while the draft cannot be rendered, so the panel's boundary shows it failed. */
const useRenderable = (doc: Y.Doc): void => {
  const fragment = doc.getXmlFragment(BRIEF_FIELD)
  const [ok, setOk] = useState(() => renderable(fragment))
  useEffect(() => {
    const check = () => setOk(renderable(fragment))
    check()
    // The top level only: nested text is what paragraphs are made of.
    fragment.observe(check)
    return () => fragment.unobserve(check)
  }, [fragment])
  if (!ok) throw new Error('the draft has content at its top level that the editor cannot show')
}

export interface DraftEditorProps {
  /** The draft's shared document (every draft has the brief's rich-text shape, root `brief`). */
  handle: DocLinkHandle
  /** Ids of the heading and the editable area (several drafts may be on one page over time). */
  idBase: string
  title: ReactNode
  /** More editor extensions (the drafting view's anchored highlights and shortcuts). */
  extensions?: Extensions
  /** More toolbar content after the formatting tools, given the editor (comment, amend…). */
  tools?: (editor: Editor, canWrite: boolean) => ReactNode
  /** Told of the editor once it exists (and null when it goes). */
  onEditor?: (editor: Editor | null) => void
}

/** A co-edited draft: Tiptap over the draft's Y.Doc, with carets, and read-only for observers. */
export const DraftEditor = ({
  handle,
  idBase,
  title,
  extensions = [],
  tools,
  onEditor,
}: DraftEditorProps) => {
  const { t } = useTranslation()
  // The caret extension keeps the render function it was built with; this follows the language.
  const tRef = useRef(t)
  tRef.current = t
  useRenderable(handle.doc)
  const me = useMeeting((s) => s.me)
  const participants = useMeeting((s) => s.participants)
  const colour = colourFor(me?.id ?? '', participants)
  // Set once the shared draft held content that does not fit the editor's schema.
  const [paused, setPaused] = useState(false)
  const canWrite = (me ? can(me.role, 'writeDoc') : false) && !paused
  const user = useMemo(() => ({ name: me?.displayName ?? '', color: colour }), [me?.displayName, colour])
  const titleId = `${idBase}-title`
  const editorId = `${idBase}-editor`

  const editor = useEditor(
    {
      extensions: [
        // Collaboration brings Yjs undo, which undoes only this person's edits. No trailing
        // node: it appends a paragraph to a draft that ends otherwise, i.e. it writes to the
        // shared document merely by opening it (an observer's copy would then never be "saved").
        StarterKit.configure({ undoRedo: false, trailingNode: false }),
        Collaboration.configure({ document: handle.doc, field: BRIEF_FIELD }),
        CollaborationCaret.configure({
          provider: handle.provider,
          user,
          render: (u: Record<string, unknown>) => renderCaret(u, tRef.current),
        }),
        ...extensions,
      ],
      editable: canWrite,
      immediatelyRender: true,
      // Content that does not fit the schema (a newer client's, say) is checked, not trusted:
      // Collaboration then stops applying remote changes, and we stop local ones, since an edit
      // made on a partial view would overwrite what this version cannot show. (The Yjs binding
      // of Tiptap 3.31 drops misfit elements before this check sees them; from 3.33 on they
      // come here instead.) Its disableCollaboration() is not called: it destroys the Y.Doc,
      // which the meeting runtime owns and other parts (presence, the unsaved tracker) still use.
      enableContentCheck: true,
      onContentError: () => setPaused(true),
    },
    [handle],
  )

  useEffect(() => {
    onEditor?.(editor)
    return () => onEditor?.(null)
  }, [editor, onEditor])

  // Role changes (a chair promoting or demoting us) apply to the open editor at once.
  useEffect(() => {
    if (editor && editor.isEditable !== canWrite) editor.setEditable(canWrite)
  }, [editor, canWrite])

  useEffect(() => {
    editor?.commands.updateUser(user)
  }, [editor, user])

  // A caret's label is drawn once and kept while its owner is in the draft: relabel in the new language.
  useEffect(() => {
    // Not mounted yet (no view): no caret drawn either.
    if (!editor || editor.isDestroyed) return
    for (const label of editor.view.dom.querySelectorAll<HTMLElement>('.collaboration-carets__label'))
      writeCaretLabel(label, t)
  }, [editor, t])

  // The editable area's accessible name follows the language.
  useEffect(() => {
    editor?.setOptions({
      editorProps: {
        attributes: {
          id: editorId,
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-labelledby': titleId,
          'aria-describedby': canWrite ? `${idBase}-help` : `${idBase}-readonly`,
          'aria-readonly': String(!canWrite),
          class: 'brief-content',
          spellcheck: 'true',
        },
      },
    })
  }, [editor, canWrite, editorId, titleId, idBase])

  return (
    <section className="brief" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {canWrite ? (
        <p id={`${idBase}-help`} className="hint">
          {t('brief.help')}
        </p>
      ) : paused ? (
        <p id={`${idBase}-readonly`} className="readonly-notice" role="status">
          {t('brief.paused')}
        </p>
      ) : (
        <p id={`${idBase}-readonly`} className="readonly-notice">
          {t('brief.readOnly')}
        </p>
      )}
      {editor && (canWrite || tools) ? (
        <div className="editor-tools">
          {canWrite ? <BriefToolbar editor={editor} controls={editorId} /> : null}
          {tools?.(editor, canWrite)}
        </div>
      ) : null}
      <div className={canWrite ? 'editor-frame' : 'editor-frame readonly'}>
        <EditorContent editor={editor} />
      </div>
    </section>
  )
}
