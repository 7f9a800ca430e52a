"""Advance widths of DejaVu Sans (regular and bold), the font the charts are drawn and measured
with, in thousandths of an em, read from the font files with fontTools (generated once; DejaVu
fonts are under a free licence that allows this). Text wider than its place would be cut or would
collide, so layout measures every string with these widths."""

from __future__ import annotations

CHARS = (
    ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ['
    '\\]^_`abcdefghijklmnopqrstuvwxyz{|}~£€–—‘’“”…·×éèáàóíúöüçñ°'
)
"""The characters measured; any other counts as `DEFAULT` wide."""

REGULAR: tuple[int, ...] = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838, 636,
    636, 500, 1000, 318, 318, 518, 518, 1000, 318, 838, 615, 615, 613, 613, 612, 278,
    634, 612, 634, 550, 634, 500,
)
BOLD: tuple[int, ...] = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365,
    696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580,
    1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
    733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500,
    500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687,
    716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838, 696,
    696, 500, 1000, 380, 380, 657, 657, 1000, 380, 838, 678, 678, 675, 675, 687, 343,
    712, 687, 712, 593, 712, 500,
)

DEFAULT = 700
"""Width of a character not in `CHARS` (wider than most, so layout errs on the roomy side)."""
