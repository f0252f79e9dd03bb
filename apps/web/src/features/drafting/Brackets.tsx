import { can } from '@roundtable/protocol'
import type { Editor } from '@tiptap/react'
import { useEditorState } from '@tiptap/react'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { type Bracket, findBrackets } from './brackets.ts'
import type { DraftItems } from './drafting-slice.ts'

/** Brackets written into the text ("[shall | should]"), with their editor positions. */
const writtenBrackets = (editor: Editor): (Bracket & { key: string })[] => {
  const out: (Bracket & { key: string })[] = []
  editor.state.doc.descendants((node, pos) => {
    if (!node.isTextblock) return true
    // Leaf nodes (a hard break) count one position and no text: offsets are per text run.
    node.forEach((child, offset) => {
      if (!child.isText || !child.text) return
      for (const b of findBrackets(child.text))
        out.push({
          ...b,
          from: pos + 1 + offset + b.from,
          to: pos + 1 + offset + b.to,
          key: `${pos}:${offset}:${b.from}`,
        })
    })
    return false
  })
  return out
}

export const Brackets = ({
  items,
  editor,
  onShow,
}: {
  items: DraftItems
  editor: Editor | null
  onShow: (id: string) => void
}) => {
  const { t } = useTranslation()
  const send = useCommand()
  const me = useMeeting((s) => s.me)
  const chair = me ? can(me.role, 'runDrafting') : false
  const written =
    useEditorState({
      editor,
      selector: (ctx) => (ctx.editor ? writtenBrackets(ctx.editor) : []),
      equalityFn: (a, b) =>
        b !== null &&
        a.length === b.length &&
        a.every((x, i) => x.key === b[i].key && x.options.join('|') === b[i].options.join('|')),
    }) ?? []
  const open = items.brackets.filter((b) => b.status === 'open')
  return (
    <section className="draft-side-section" aria-labelledby="brackets-title">
      <h3 id="brackets-title">
        {t('drafting.brackets.title')}{' '}
        <span className="count">
          ({t('drafting.brackets.open', { count: open.length + written.length })})
        </span>
      </h3>
      {open.length === 0 && written.length === 0 ? (
        <p className="hint">{t('drafting.brackets.none')}</p>
      ) : null}
      {open.length > 0 ? (
        <ul className="brackets">
          {open.map((b) => (
            <li key={b.id}>
              <p>
                <span className="hint">{t('drafting.brackets.passage')} </span>«&nbsp;{b.anchor.quote}&nbsp;»
              </p>
              <p className="alternatives">[{b.alternatives.join(' | ')}]</p>
              <div className="row">
                <button type="button" onClick={() => onShow(b.id)}>
                  {t('drafting.showInText')}
                </button>
                {chair
                  ? b.alternatives.map((alt, i) => (
                      <button
                        // biome-ignore lint/suspicious/noArrayIndexKey: alternatives are fixed once the bracket is open
                        key={i}
                        type="button"
                        onClick={() =>
                          void send(
                            'bracket:settle',
                            { bracketId: b.id, choice: i },
                            { key: 'drafting.sent.settled' },
                          )
                        }
                      >
                        {t('drafting.brackets.keep', { wording: alt })}
                      </button>
                    ))
                  : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {written.length > 0 ? (
        <>
          <h4>{t('drafting.brackets.written')}</h4>
          <ul className="brackets">
            {written.map((b) => (
              <li key={b.key}>
                <p className="alternatives">[{b.options.join(' | ')}]</p>
                <button
                  type="button"
                  onClick={() => {
                    editor
                      ?.chain()
                      .focus()
                      .setTextSelection({ from: b.from, to: b.to })
                      .scrollIntoView()
                      .run()
                  }}
                >
                  {t('drafting.showInText')}
                </button>
              </li>
            ))}
          </ul>
          <p className="hint">{t('drafting.brackets.writtenHint')}</p>
        </>
      ) : null}
    </section>
  )
}
