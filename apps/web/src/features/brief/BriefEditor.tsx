import { BRIEF_FIELD } from '@roundtable/doc-schema'
import { can } from '@roundtable/protocol'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { EditorContent, useEditor } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import * as Y from 'yjs'
import { colourFor } from '../presence/colours.ts'
import { useDoc, useMeeting } from '../../app/meeting-runtime.tsx'
import { BriefToolbar } from './BriefToolbar.tsx'

/** Another person's caret: their colour, with their name on a label that keeps AA contrast. */
const renderCaret = (user: Record<string, unknown>): HTMLElement => {
  const caret = document.createElement('span')
  caret.classList.add('collaboration-carets__caret')
  const colour = typeof user.color === 'string' ? user.color : '#1a5fb4'
  caret.style.borderColor = colour
  const label = document.createElement('span')
  label.classList.add('collaboration-carets__label')
  label.style.backgroundColor = colour
  label.textContent = typeof user.name === 'string' ? user.name : ''
  caret.append(label)
  return caret
}

/**
 * Whether the editor's Yjs binding can render the brief at all. It maps every top-level child
 * as an element and throws on anything else (text or a hook at the top level), inside a Yjs
 * observer where no error boundary sees it, and the editor would silently stop following the
 * document. Elements it does not know are no such problem: it leaves them out.
 */
const renderable = (fragment: Y.XmlFragment): boolean =>
  fragment.toArray().every((child) => child instanceof Y.XmlElement)

/** Throws while the brief cannot be rendered, so the panel's boundary shows it failed. */
const useRenderableBrief = (doc: Y.Doc): void => {
  const fragment = doc.getXmlFragment(BRIEF_FIELD)
  const [ok, setOk] = useState(() => renderable(fragment))
  useEffect(() => {
    const check = () => setOk(renderable(fragment))
    check()
    // The top level only: nested text is what paragraphs are made of.
    fragment.observe(check)
    return () => fragment.unobserve(check)
  }, [fragment])
  if (!ok) throw new Error('the brief has content at its top level that the editor cannot show')
}

export const BriefEditor = () => {
  const { t } = useTranslation()
  const brief = useDoc('brief')
  useRenderableBrief(brief.doc)
  const me = useMeeting((s) => s.me)
  const participants = useMeeting((s) => s.participants)
  const colour = colourFor(me?.id ?? '', participants)
  // Set once the shared brief held content that does not fit the editor's schema.
  const [paused, setPaused] = useState(false)
  const canWrite = (me ? can(me.role, 'writeDoc') : false) && !paused
  const user = useMemo(() => ({ name: me?.displayName ?? '', color: colour }), [me?.displayName, colour])

  const editor = useEditor(
    {
      extensions: [
        // Collaboration brings Yjs undo, which undoes only this person's edits. No trailing
        // node: it appends a paragraph to a brief that ends otherwise, i.e. it writes to the
        // shared document merely by opening it (an observer's copy would then never be "saved").
        StarterKit.configure({ undoRedo: false, trailingNode: false }),
        Collaboration.configure({ document: brief.doc, field: BRIEF_FIELD }),
        CollaborationCaret.configure({ provider: brief.provider, user, render: renderCaret }),
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
    [brief],
  )

  // Role changes (a chair promoting or demoting us) apply to the open editor at once.
  useEffect(() => {
    if (editor && editor.isEditable !== canWrite) editor.setEditable(canWrite)
  }, [editor, canWrite])

  useEffect(() => {
    editor?.commands.updateUser(user)
  }, [editor, user])

  // The editable area's accessible name follows the language.
  useEffect(() => {
    editor?.setOptions({
      editorProps: {
        attributes: {
          id: 'brief-editor',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-labelledby': 'brief-title',
          'aria-describedby': canWrite ? 'brief-help' : 'brief-readonly',
          'aria-readonly': String(!canWrite),
          class: 'brief-content',
          spellcheck: 'true',
        },
      },
    })
  }, [editor, canWrite])

  return (
    <section className="brief" aria-labelledby="brief-title">
      <h2 id="brief-title">{t('brief.title')}</h2>
      {canWrite ? (
        <p id="brief-help" className="hint">
          {t('brief.help')}
        </p>
      ) : paused ? (
        <p id="brief-readonly" className="readonly-notice" role="status">
          {t('brief.paused')}
        </p>
      ) : (
        <p id="brief-readonly" className="readonly-notice">
          {t('brief.readOnly')}
        </p>
      )}
      {canWrite && editor ? <BriefToolbar editor={editor} /> : null}
      <div className={canWrite ? 'editor-frame' : 'editor-frame readonly'}>
        <EditorContent editor={editor} />
      </div>
    </section>
  )
}
