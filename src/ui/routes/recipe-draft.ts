/** The example "Paste an example" puts in the recipe box. */
export const SAMPLE_RECIPE = `Buttermilk Pancakes
Serves 4

Ingredients
1 1/2 cups flour
2 tablespoons sugar
2 teaspoons baking powder
1/2 teaspoon salt
1 1/4 cups buttermilk
1 egg
3 tablespoons butter, melted

Method
1. Whisk the flour, sugar, baking powder and salt in a large bowl.
2. Beat the buttermilk, egg and melted butter together, then stir into the dry ingredients until just combined.
3. Cook ladlefuls on a hot buttered pan until bubbles form, then flip and cook until golden.`;

/** Where this tab keeps the recipe text being typed. */
export const DRAFT_KEY = 'errand:recipe-draft';
/** Where it keeps the text "Paste an example" replaced, while Undo is offered. */
export const REPLACED_KEY = 'errand:recipe-draft-replaced';

/** This tab's session storage, or undefined where there is none or it is refused. */
export function safeSessionStorage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}
