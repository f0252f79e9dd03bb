import { type Editor, useEditorState } from '@tiptap/react'
import { type KeyboardEvent, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
const MOD = isMac ? 'Meta' : 'Control'
const MOD_LABEL = isMac ? '⌘' : 'Ctrl'

interface Tool {
  id: string
  /** Shown on the button (the label is for screen readers and the tooltip). */
  face: string
  labelKey: string
  /** WAI-ARIA aria-keyshortcuts and the human form shown in the tooltip. */
  keys: string
  human: string
  /** Toggle buttons report their state with aria-pressed; actions (undo, redo) do not. */
  active?: (e: Editor) => boolean
  enabled: (e: Editor) => boolean
  run: (e: Editor) => void
}

const TOOLS: Tool[] = [
  ...([1, 2, 3] as const).map(
    (level): Tool => ({
      id: `h${level}`,
      face: `H${level}`,
      labelKey: `toolbar.heading${level}`,
      keys: `${MOD}+Alt+${level}`,
      human: `${MOD_LABEL}+Alt+${level}`,
      active: (e) => e.isActive('heading', { level }),
      enabled: (e) => e.can().toggleHeading({ level }),
      run: (e) => e.chain().focus().toggleHeading({ level }).run(),
    }),
  ),
  {
    id: 'bold',
    face: 'B',
    labelKey: 'toolbar.bold',
    keys: `${MOD}+B`,
    human: `${MOD_LABEL}+B`,
    active: (e) => e.isActive('bold'),
    enabled: (e) => e.can().toggleBold(),
    run: (e) => e.chain().focus().toggleBold().run(),
  },
  {
    id: 'italic',
    face: 'I',
    labelKey: 'toolbar.italic',
    keys: `${MOD}+I`,
    human: `${MOD_LABEL}+I`,
    active: (e) => e.isActive('italic'),
    enabled: (e) => e.can().toggleItalic(),
    run: (e) => e.chain().focus().toggleItalic().run(),
  },
  {
    id: 'bullet',
    face: '•',
    labelKey: 'toolbar.bulletList',
    keys: `${MOD}+Shift+8`,
    human: `${MOD_LABEL}+Shift+8`,
    active: (e) => e.isActive('bulletList'),
    enabled: (e) => e.can().toggleBulletList(),
    run: (e) => e.chain().focus().toggleBulletList().run(),
  },
  {
    id: 'ordered',
    face: '1.',
    labelKey: 'toolbar.orderedList',
    keys: `${MOD}+Shift+7`,
    human: `${MOD_LABEL}+Shift+7`,
    active: (e) => e.isActive('orderedList'),
    enabled: (e) => e.can().toggleOrderedList(),
    run: (e) => e.chain().focus().toggleOrderedList().run(),
  },
  {
    id: 'undo',
    face: '↶',
    labelKey: 'toolbar.undo',
    keys: `${MOD}+Z`,
    human: `${MOD_LABEL}+Z`,
    enabled: (e) => e.can().undo(),
    run: (e) => e.chain().focus().undo().run(),
  },
  {
    id: 'redo',
    face: '↷',
    labelKey: 'toolbar.redo',
    keys: `${MOD}+Shift+Z`,
    human: `${MOD_LABEL}+Shift+Z`,
    enabled: (e) => e.can().redo(),
    run: (e) => e.chain().focus().redo().run(),
  },
]

/** A WAI-ARIA toolbar: one tab stop, arrow keys move between buttons, Home/End jump. */
export const BriefToolbar = ({
  editor,
  controls = 'brief-editor',
}: {
  editor: Editor
  controls?: string
}) => {
  const { t } = useTranslation()
  const [focusIndex, setFocusIndex] = useState(0)
  const refs = useRef<(HTMLButtonElement | null)[]>([])
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      TOOLS.map((tool) => ({ active: tool.active ? tool.active(e) : null, enabled: tool.enabled(e) })),
    equalityFn: (a, b) =>
      b !== null &&
      a.length === b.length &&
      a.every((x, i) => x.active === b[i].active && x.enabled === b[i].enabled),
  })

  const onKeyDown = (ev: KeyboardEvent) => {
    const last = TOOLS.length - 1
    const next =
      ev.key === 'ArrowRight'
        ? focusIndex === last
          ? 0
          : focusIndex + 1
        : ev.key === 'ArrowLeft'
          ? focusIndex === 0
            ? last
            : focusIndex - 1
          : ev.key === 'Home'
            ? 0
            : ev.key === 'End'
              ? last
              : null
    if (next === null) return
    ev.preventDefault()
    setFocusIndex(next)
    refs.current[next]?.focus()
  }

  return (
    <div
      className="toolbar"
      role="toolbar"
      aria-label={t('toolbar.label')}
      aria-controls={controls}
      onKeyDown={onKeyDown}
    >
      {TOOLS.map((tool, i) => {
        const label = t(tool.labelKey)
        const s = state[i]
        return (
          <button
            key={tool.id}
            ref={(el) => {
              refs.current[i] = el
            }}
            type="button"
            className={`tool tool-${tool.id}`}
            tabIndex={i === focusIndex ? 0 : -1}
            aria-pressed={s.active === null ? undefined : s.active}
            aria-keyshortcuts={tool.keys}
            aria-disabled={!s.enabled}
            title={`${label} (${tool.human})`}
            onFocus={() => setFocusIndex(i)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              if (s.enabled) tool.run(editor)
            }}
          >
            <span aria-hidden="true">{tool.face}</span>
            <span className="visually-hidden">{label}</span>
          </button>
        )
      })}
    </div>
  )
}
