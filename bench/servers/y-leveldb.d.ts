// y-leveldb 0.2.0 ships types, but its package exports do not point at them.
declare module 'y-leveldb' {
  import type * as Y from 'yjs'
  export class LeveldbPersistence {
    constructor(location: string)
    storeUpdate(docName: string, update: Uint8Array): Promise<number>
    getYDoc(docName: string): Promise<Y.Doc>
    destroy(): Promise<void>
  }
}
