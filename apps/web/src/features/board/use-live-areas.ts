import { type AreaView, liveAreas, observeAreas } from '@roundtable/doc-schema'
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'

/** The areas on the table (not withdrawn or merged away), in working order, re-read on every change. */
export const useLiveAreas = (doc: Y.Doc): AreaView[] => {
  const [areas, setAreas] = useState(() => liveAreas(doc))
  useEffect(() => {
    setAreas(liveAreas(doc))
    return observeAreas(doc, () => setAreas(liveAreas(doc)))
  }, [doc])
  return areas
}
