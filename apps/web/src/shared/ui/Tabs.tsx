import { type KeyboardEvent, type ReactNode, useRef } from 'react'

export interface TabDef {
  id: string
  label: string
  render: () => ReactNode
}

/** WAI-ARIA tabs with automatic activation: arrows move and select, Home/End jump. */
export const Tabs = ({
  label,
  tabs,
  selected,
  onSelect,
}: {
  label: string
  tabs: TabDef[]
  selected: string
  onSelect: (id: string) => void
}) => {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({})
  const current = tabs.find((t) => t.id === selected) ?? tabs[0]
  const onKeyDown = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === current.id)
    const to =
      e.key === 'ArrowRight'
        ? (i + 1) % tabs.length
        : e.key === 'ArrowLeft'
          ? (i - 1 + tabs.length) % tabs.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? tabs.length - 1
              : -1
    if (to < 0) return
    e.preventDefault()
    onSelect(tabs[to].id)
    refs.current[tabs[to].id]?.focus()
  }
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tablist" onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el
            }}
            role="tab"
            type="button"
            id={`tab-${t.id}`}
            aria-selected={t.id === current.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={t.id === current.id ? 0 : -1}
            onClick={() => onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`panel-${current.id}`}
        aria-labelledby={`tab-${current.id}`}
        className="tabpanel"
      >
        {current.render()}
      </div>
    </div>
  )
}
