/** What every lab declares about itself: its tab, its concept text and its defaults. */
export interface LabInfo {
  /** URL hash and export name: #/<id>. */
  id: string;
  /** The tab's name; tests and users find the tab by it. */
  title: string;
  /** A few short paragraphs in our own words; `code` in backticks is shown as code. */
  concept: string[];
  defaultPrompt: string;
  maxTokens: number;
}
