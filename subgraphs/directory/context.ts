/** The directory holds only public directory data; its context carries nothing per caller yet. */
export type DirectoryContext = Record<string, never>;
