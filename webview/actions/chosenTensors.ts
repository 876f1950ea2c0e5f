// The tensors chosen in the view for "Mark as Output": a click on an edge chooses it, ctrl/cmd-click adds or
// removes one more, a click elsewhere clears. The host is told after every change (its menus act on them).
export class ChosenTensors {
  private chosen: string[] = [];

  get tensors(): readonly string[] { return this.chosen; }

  /** Applies a click: `tensor` is the edge hit (undefined: not an edge). Returns whether the set changed. */
  click(tensor: string | undefined, additive: boolean): boolean {
    const before = this.chosen.join('\u0000');
    if (additive) {
      if (tensor === undefined) return false;
      this.chosen = this.chosen.includes(tensor) ? this.chosen.filter((t) => t !== tensor) : [...this.chosen, tensor];
    } else {
      this.chosen = tensor === undefined ? [] : [tensor];
    }
    return before !== this.chosen.join('\u0000');
  }

  clear(): boolean {
    const had = this.chosen.length > 0;
    this.chosen = [];
    return had;
  }
}
