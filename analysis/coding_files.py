"""Read and check the files of a validation sample: the keys and the coders' returned sheets.

A sample folder (``python -m analysis validate sample --out DIR``) holds
``frames_sheet.csv``, ``articles_sheet.csv`` and ``people_sheet.csv`` for
coders, and ``frames_key.csv``, ``articles_key.csv`` and ``people_key.csv``
with the tool's labels. A coder returns a copy of any of the sheets (a CSV
file, or a folder holding them), with ``code`` filled in (1 the frame is
present, 0 absent, empty not coded), ``victim_gender`` (female, male, mixed,
unknown, empty not coded) or ``role`` (victim, accused, other, not_a_person,
empty not coded). Every
problem is a :class:`~analysis.errors.CorpusError` naming the file, row and
column and what to write instead.

Example
-------
>>> parse_codes(pd.Series(["1", " 0", ""]), "coder.csv", "code").tolist()
[1.0, 0.0, nan]
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import CorpusError, CorpusWarning, ResultsError, UsageError

FRAMES_SHEET, FRAMES_KEY = "frames_sheet.csv", "frames_key.csv"
ARTICLES_SHEET, ARTICLES_KEY = "articles_sheet.csv", "articles_key.csv"
PEOPLE_SHEET, PEOPLE_KEY = "people_sheet.csv", "people_key.csv"
VICTIM_GENDERS = ("female", "male", "mixed", "unknown")
PERSON_ROLES = ("victim", "accused", "other", "not_a_person")
SHEETS = {"frames": FRAMES_SHEET, "articles": ARTICLES_SHEET, "people": PEOPLE_SHEET}
KEYS = {"frames": FRAMES_KEY, "articles": ARTICLES_KEY, "people": PEOPLE_KEY}
_BLANK = {"", "nan", "none", "na"}


def _row(i: int) -> int:
    """CSV row number of the ``i``-th record (the header is row 1)."""
    return i + 2


def parse_codes(values: pd.Series, label: str, column: str) -> pd.Series:
    """0/1 codes (floats, NaN for not coded) from text; a bad code names file, row and column.

    Examples
    --------
    >>> parse_codes(pd.Series(["yes"]), "c.csv", "code")
    Traceback (most recent call last):
    ...
    analysis.errors.CorpusError: c.csv row 2, column 'code': 'yes' is not a code; write 1 (the frame is present), 0 (absent) or leave it empty
    """
    raw = values.fillna("").astype(str).str.strip()
    raw = raw.where(~raw.str.lower().isin(_BLANK), "")
    raw = raw.replace({"1.0": "1", "0.0": "0"})
    bad = ~raw.isin(["0", "1", ""])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise CorpusError(f"{label} row {_row(int(values.index[i]))}, column '{column}': {raw.iloc[i]!r} is not a code; "
                          "write 1 (the frame is present), 0 (absent) or leave it empty")
    return pd.to_numeric(raw.replace("", np.nan)).astype(float)


def parse_genders(values: pd.Series, label: str, column: str = "victim_gender") -> pd.Series:
    """Victim-gender codes (lower case, NaN for not coded); a bad code names file, row and column.

    Examples
    --------
    >>> parse_genders(pd.Series(["Male", ""]), "c.csv").tolist()
    ['male', nan]
    """
    return _parse_choice(values, label, column, VICTIM_GENDERS)


def parse_roles(values: pd.Series, label: str, column: str = "role") -> pd.Series:
    """Person-role codes (lower case, NaN for not coded); a bad code names file, row and column.

    Examples
    --------
    >>> parse_roles(pd.Series(["Victim", "", "other"]), "c.csv").tolist()
    ['victim', nan, 'other']
    >>> parse_roles(pd.Series(["bystander"]), "c.csv")
    Traceback (most recent call last):
    ...
    analysis.errors.CorpusError: c.csv row 2, column 'role': 'bystander' is not a code; write one of victim, accused, other, not_a_person or leave it empty
    """
    return _parse_choice(values.fillna("").astype(str).str.strip().str.replace(" ", "_"), label, column, PERSON_ROLES)


def _parse_choice(values: pd.Series, label: str, column: str, choices: tuple[str, ...]) -> pd.Series:
    """Codes from a closed list (lower case, NaN for blank); the first bad one names file, row and column."""
    raw = values.fillna("").astype(str).str.strip().str.lower()
    raw = raw.where(~raw.isin(_BLANK), "")
    bad = ~raw.isin([*choices, ""])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise CorpusError(f"{label} row {_row(int(values.index[i]))}, column '{column}': {raw.iloc[i]!r} is not a code; "
                          f"write one of {', '.join(choices)} or leave it empty")
    return raw.replace("", np.nan)


def _read_csv(path: Path) -> pd.DataFrame:
    """A returned sheet as text, header names stripped, wholly blank rows left out with a warning.

    Spreadsheet programs often save empty rows below the data (``,,,,``); they hold no code, so
    they are skipped, and the warning names them. Row numbers in later errors stay those of the
    file (the index keeps each record's place).
    """
    try:
        # blank lines are kept as rows so that row numbers in errors are the file's lines
        df = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: not a readable CSV file ({type(exc).__name__}: {exc}); save the sheet "
                          "as CSV (UTF-8) with its header row") from None
    df.columns = [str(c).strip() for c in df.columns]
    twice = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
    if twice:
        raise CorpusError(f"{path} row 1: column(s) {', '.join(map(repr, twice))} appear more than once; keep "
                          "one column of each name")
    df = df.fillna("")
    blank = df.apply(lambda col: col.str.strip() == "").all(axis=1) if len(df.columns) else df.index == df.index
    if blank.any():
        rows = [_row(int(i)) for i in np.flatnonzero(blank.to_numpy())]
        warnings.warn(CorpusWarning(
            f"{path}: {len(rows)} wholly empty row(s) skipped (row {', '.join(map(str, rows[:5]))}"
            f"{', ...' if len(rows) > 5 else ''})"), stacklevel=3)
        df = df[~blank]
    return df


def _same_value(sheet_value, key_value) -> bool:
    """A sheet's cell equals the key's, up to what spreadsheet programs change in re-saving.

    Spaces at either end, and numbers re-written ("12.0" for 12, "17" for "017") are the same value.

    Examples
    --------
    >>> _same_value("12.0", 12), _same_value("17", "017"), _same_value(" NA", "NA"), _same_value("a", "b")
    (True, True, True, False)
    """
    a = "" if sheet_value is None or (isinstance(sheet_value, float) and np.isnan(sheet_value)) else str(sheet_value)
    b = "" if key_value is None or (isinstance(key_value, float) and np.isnan(key_value)) else str(key_value)
    a, b = a.strip(), b.strip()
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def _check_ids(df: pd.DataFrame, id_col: str, key: pd.DataFrame, label: str) -> None:
    """Every row's id is in ``key`` once, and the columns the sheet shares with the key agree with it.

    Ids are numbers in drawing order (``item-0001``, ``p0001``), so a sheet from another draw of
    the same corpus has the same ids for other sentences or people: the shared columns
    (``frame``, ``doc_id``, ``sentence_id``, ``person``) catch it.
    """
    if id_col not in df.columns:
        raise CorpusError(f"{label} row 1: column '{id_col}' missing; return the sheet written by "
                          "'validate sample' with its columns unchanged")
    ids = df[id_col].str.strip()
    dup = ids.duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        first = int(np.flatnonzero((ids == ids.iloc[i]).to_numpy())[0])
        raise CorpusError(f"{label} row {_row(int(df.index[i]))}, column '{id_col}': {ids.iloc[i]!r} is duplicated "
                          f"(first seen on row {_row(int(df.index[first]))}); keep one row per {id_col}")
    unknown = ~ids.isin(set(key[id_col].astype(str)))
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise CorpusError(f"{label} row {_row(int(df.index[i]))}, column '{id_col}': {ids.iloc[i]!r} is not in "
                          "the key; score the sheet with the key of the same sample (--key)")
    known = key.assign(**{id_col: key[id_col].astype(str)}).set_index(id_col)
    shared = [c for c in ("frame", "doc_id", "sentence_id", "person") if c in df.columns and c in known.columns]
    if not shared and any(c in known.columns for c in ("frame", "doc_id", "person")) and len(df):
        warnings.warn(CorpusWarning(
            f"{label}: none of the sheet's columns frame, doc_id, sentence_id, person is left, so it cannot be "
            "checked to come from the same draw as the key; return the sheet with its columns unchanged"),
            stacklevel=3)
    for col in shared:
        expected = known[col].reindex(ids).to_numpy()
        differ = ~np.array([_same_value(a, b) for a, b in zip(df[col].to_numpy(), expected, strict=True)])
        if differ.any():
            i = int(np.flatnonzero(differ)[0])
            raise CorpusError(f"{label} row {_row(int(df.index[i]))}, column '{col}': {df[col].iloc[i]!r} is not the "
                              f"key's {expected[i]!r} for {id_col} {ids.iloc[i]!r}; the sheet comes from another "
                              "draw: score it with the key written with it (--key), and leave the sheet's other "
                              "columns unchanged")


def read_frame_codes(path: str | Path, key: pd.DataFrame) -> pd.Series:
    """A coder's frame codes, indexed by ``item_id`` (NaN = not coded).

    Examples
    --------
    >>> read_frame_codes("coder_1/frames_sheet.csv", key)        # doctest: +SKIP
    """
    path = Path(path)
    df = _read_csv(path)
    _check_ids(df, "item_id", key, str(path))
    if "code" not in df.columns:
        raise CorpusError(f"{path} row 1: column 'code' missing; write each code (1 or 0) in a column 'code'")
    return parse_codes(df["code"], str(path), "code").set_axis(df["item_id"].str.strip())


def read_article_codes(path: str | Path, key: pd.DataFrame) -> pd.Series:
    """A coder's alleged-victim genders, indexed by ``doc_id`` (NaN = not coded)."""
    path = Path(path)
    df = _read_csv(path)
    _check_ids(df, "doc_id", key, str(path))
    if "victim_gender" not in df.columns:
        raise CorpusError(f"{path} row 1: column 'victim_gender' missing; write each code in a column "
                          "'victim_gender'")
    return parse_genders(df["victim_gender"], str(path)).set_axis(df["doc_id"].str.strip())


def read_people_codes(path: str | Path, key: pd.DataFrame) -> pd.Series:
    """A coder's person roles, indexed by ``person_id`` (NaN = not coded)."""
    path = Path(path)
    df = _read_csv(path)
    _check_ids(df, "person_id", key, str(path))
    if "role" not in df.columns:
        raise CorpusError(f"{path} row 1: column 'role' missing; write each person's role in a column 'role'")
    return parse_roles(df["role"], str(path)).set_axis(df["person_id"].str.strip())


#: key columns that hold text (ids, names, labels); every other key column is read as numbers where it can be
_TEXT_COLUMNS = {"item_id", "frame", "doc_id", "person_id", "person", "group", "tool", "registry",
                 "sentence_sha256", "stratum"}


def _read_key(path: Path) -> pd.DataFrame:
    """A key file: its text columns as written (a doc_id or a person called "NA" stays "NA"), the rest
    as numbers, an empty cell NaN."""
    key = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in key.columns:
        if col in _TEXT_COLUMNS:
            continue
        values = key[col].replace("", np.nan)
        try:
            key[col] = pd.to_numeric(values)
        except ValueError:
            key[col] = values
    if "tool" in key.columns and key["tool"].isin(["0", "1"]).all() and "item_id" in key.columns:
        key["tool"] = key["tool"].astype(int)                         # frame tags are 0/1
    if "registry" in key.columns:
        key["registry"] = key["registry"].replace("", np.nan)
    return key


def read_keys(folder: str | Path) -> dict[str, pd.DataFrame]:
    """``{"frames": key, "articles": key, "people": key}`` (whichever exist) from a sample folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"--key {folder}: not a folder; give the folder written by 'validate sample --out DIR'")
    keys = {}
    for kind, name in KEYS.items():
        if (folder / name).is_file():
            key = _read_key(folder / name)
            need = {"frames": {"item_id", "frame", "doc_id", "tool"}, "articles": {"doc_id", "tool"},
                    "people": {"person_id", "doc_id", "tool"}}[kind]
            missing = sorted(need - set(key.columns))
            if missing:
                raise ResultsError(f"{folder / name}: column(s) {missing} missing; draw the sample again with "
                                   "'validate sample'")
            keys[kind] = key
    if not keys:
        raise UsageError(f"--key {folder}: holds none of {', '.join(KEYS.values())}; give the folder "
                         "written by 'validate sample --out DIR'")
    return keys


def coder_files(path: str | Path) -> dict[str, Path]:
    """The sheets a coder returned: a CSV file (kind told by its columns) or a folder holding them."""
    path = Path(path)
    if path.is_dir():
        found = {kind: path / name for kind, name in SHEETS.items() if (path / name).is_file()}
        if not found:
            raise UsageError(f"--coder {path}: a folder without {', '.join(SHEETS.values())}")
        return found
    if not path.is_file():
        raise UsageError(f"--coder {path}: not found; give a coded sheet (CSV) or a folder of them")
    header = set(_read_csv(path).columns)
    if "person_id" in header:
        return {"people": path}
    if "item_id" in header:
        return {"frames": path}
    if "victim_gender" in header:
        return {"articles": path}
    raise CorpusError(f"{path} row 1: none of the columns 'item_id', 'victim_gender', 'person_id'; return a sheet "
                      "written by 'validate sample'")


def read_coders(paths: list[str | Path], keys: dict[str, pd.DataFrame]) -> dict[str, dict[str, pd.Series]]:
    """``{"frames": {coder: codes}, "articles": {coder: codes}, "people": {coder: codes}}`` for the
    coders' files or folders.

    A coder is named by the file's folder name when it is a folder's sheet
    or a folder, else by the file name without ``.csv``; sheets of different
    kinds from one folder are one coder, and a coder from another folder of
    the same name gets a number (the same in every table). The same file given twice, or a coder
    named ``tool`` (the tool's own labels in the agreement table), is a
    :class:`~analysis.errors.UsageError`.
    """
    out: dict[str, dict[str, pd.Series]] = {"frames": {}, "articles": {}, "people": {}}
    readers = {"frames": read_frame_codes, "articles": read_article_codes, "people": read_people_codes}
    seen: dict[Path, str] = {}
    coders: dict[Path, str] = {}          # a coder's folder (or lone file) -> the coder's name
    for raw in paths:
        path = Path(raw)
        sheet_named = path.name in SHEETS.values()
        home = path.resolve() if path.is_dir() or not sheet_named else path.resolve().parent
        base = home.name if path.is_dir() or sheet_named else path.stem
        if base == "tool":
            raise UsageError(f"--coder {path}: a coder named 'tool' would be confused with the tool's labels; "
                             "rename the coder's folder or file")
        if home not in coders:
            name, k = base, 1
            while name in coders.values():
                k += 1
                name = f"{base}_{k}"
            coders[home] = name
        name = coders[home]
        for kind, file in coder_files(path).items():
            if kind not in keys:
                raise UsageError(f"--coder {file}: a {kind} sheet, but the --key folder has no {KEYS[kind]}")
            if file.resolve() in seen:
                raise UsageError(f"--coder {file}: given twice (as coder {seen[file.resolve()]!r}); give each "
                                 "coder's sheets once")
            seen[file.resolve()] = name
            out[kind][name] = readers[kind](file, keys[kind])
    return out
