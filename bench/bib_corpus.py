"""Synthetic BibTeX for benchmarks and the large-import browser test (no Django needed)."""

VENUES = ["Advances in Neural Information Processing Systems", "International Conference on "
          "Machine Learning", "IEEE Symposium on Security and Privacy"]  # fmt: skip


def synthetic_bib(n):
    entries = []
    for i in range(n):
        kind = ["inproceedings", "article", "misc"][i % 3]
        venue_field = {"inproceedings": "booktitle", "article": "journal", "misc": "howpublished"}
        entries.append(
            f"@{kind}{{paper{i},\n"
            f"  title = {{On the {{Robustness}} of Model {i} to Adversarial Perturbations}},\n"
            f"  author = {{Doe, Jane and M{{\\\"u}}ller, Kurt and Pe{{\\~n}}a, Jos{{\\'e}} "
            f"and Author{i}, Extra and others}},\n"
            f"  {venue_field[kind]} = {{{VENUES[i % 3] if kind != 'misc' else 'arXiv'}}},\n"
            f"  year = {2000 + i % 25}, month = {['jan', 'jun', 'dec'][i % 3]},\n"
            f"  doi = {{10.5555/bench.{i}}},\n"
            f"  abstract = {{We study robustness of model {i}.}}\n}}\n"
        )
    return "\n".join(entries)
