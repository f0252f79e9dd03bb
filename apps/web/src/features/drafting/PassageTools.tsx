import type { Editor } from '@tiptap/react'
import { useEditorState } from '@tiptap/react'
import { useTranslation } from 'react-i18next'
import { anchorFor, bindingOf } from './anchors.ts'
import type { Captured, PassageAction } from './PassageForm.tsx'

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
/** Shortcuts the editor's keymap also handles (drafting-keys in DraftWorkspace). */
export const PASSAGE_KEYS: Record<PassageAction, { keys: string; human: string }> = {
  comment: { keys: `${isMac ? 'Meta' : 'Control'}+Alt+M`, human: `${isMac ? '⌘' : 'Ctrl'}+Alt+M` },
  amend: { keys: `${isMac ? 'Meta' : 'Control'}+Alt+J`, human: `${isMac ? '⌘' : 'Ctrl'}+Alt+J` },
  bracket: { keys: `${isMac ? 'Meta' : 'Control'}+Alt+B`, human: `${isMac ? '⌘' : 'Ctrl'}+Alt+B` },
}

/** The current selection as a passage; an empty selection is an insertion point. */
export const capture = (editor: Editor): Captured | null => {
  const { state } = editor
  const b = bindingOf(state)
  if (!b) return null
  const { from, to } = state.selection
  return { from, to, anchor: { ...anchorFor(b, from, to), quote: state.doc.textBetween(from, to, '\n') } }
}

/** Which actions need a passage (an amendment can also insert at a point). */
export const needsPassage = (a: PassageAction) => a !== 'amend'

/**
 * Comment, amend and bracket: buttons acting on the editor's current selection, so they work
 * from the keyboard (select with Shift+arrows, then Shift+Tab to the buttons or the shortcut).
 */
export const PassageTools = ({
  editor,
  onAction,
}: {
  editor: Editor
  onAction: (a: PassageAction, c: Captured) => void
}) => {
  const { t } = useTranslation()
  const hasPassage = useEditorState({ editor, selector: ({ editor: e }) => !e.state.selection.empty })
  const actions: PassageAction[] = ['comment', 'amend', 'bracket']
  return (
    <fieldset className="passage-tools">
      <legend className="visually-hidden">{t('drafting.tools.label')}</legend>
      {actions.map((a) => {
        const enabled = hasPassage || !needsPassage(a)
        const label = t(`drafting.tools.${a}`)
        return (
          <button
            key={a}
            type="button"
            aria-keyshortcuts={PASSAGE_KEYS[a].keys}
            aria-disabled={!enabled}
            aria-describedby={enabled ? undefined : 'passage-tools-hint'}
            title={`${label} (${PASSAGE_KEYS[a].human})`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              if (!enabled) return
              const c = capture(editor)
              if (c) onAction(a, c)
            }}
          >
            {label}
          </button>
        )
      })}
      <span id="passage-tools-hint" className="hint">
        {hasPassage ? t('drafting.tools.onSelection') : t('drafting.tools.selectFirst')}
      </span>
    </fieldset>
  )
}
