"""Throughput of nlp.enrich.enrich on patents with two applicants (single core).

    python -m bench.nlp_speed [--records 20000]

Both rates are printed: wall-clock, and per CPU-second of the process (records/s per core; on a
shared machine the wall rate also measures the other processes).

"warm": applicant names and addresses repeat (as they do in real data: a few thousand holders
file most records), so the per-name caches answer; "cold": every name and address is new.
Each record has a title and a ~250-character abstract, two IPC codes.
"""

from __future__ import annotations

import argparse
import time

from iphub.records import LocalizedText, Party, Patent
from nlp.enrich import enrich

ABSTRACT = (
    "本发明公开了一种锂离子电池正极材料及其制备方法，采用镍钴锰三元前驱体与锂源混合烧结，"
    "并在表面包覆纳米氧化铝层，提高了锂电池的循环寿命和安全性。该方法工艺简单，成本低，"
    "适用于新能源汽车动力电池和储能电池的大规模生产。所述正极材料的首次放电比容量高，"
    "高温存储性能好，可有效抑制电解液分解和过渡金属溶出，具有良好的应用前景。"
)


def _patent(i: int, unique: bool) -> Patent:
    n = i if unique else i % 200
    return Patent(
        id=f"CN{114000000 + i}A",
        jurisdiction="CN",
        kind="invention_application",
        application_number=f"CN2021{10000000 + i}.X",
        publication_number=f"CN{114000000 + i}A",
        title=LocalizedText(text=f"一种锂电池正极材料及其制备方法{i % 7}"),
        abstract=LocalizedText(text=ABSTRACT),
        ipc=["H01M 4/505", "H01M 10/0525"],
        applicants=[
            Party(name=f"广州市第{n}新能源科技有限公司", address=f"广州市黄埔区科学大道{n}号"),
            Party(name="华南理工大学" if n % 2 else f"广东省第{n}研究院"),
        ],
    )


def run(records: int, unique: bool) -> tuple[float, float]:
    """Records per second of wall time, and per second of this process's CPU time (the
    per-core rate, which a shared machine's load does not dilute)."""
    batch = [_patent(i, unique) for i in range(records)]
    start, cpu = time.perf_counter(), time.process_time()
    for record in batch:
        enrich(record)
    return records / (time.perf_counter() - start), records / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=20_000)
    args = parser.parse_args()
    run(2_000, unique=False)  # load tables, dictionaries and pipelines
    for case, unique in (("warm", False), ("cold", True)):
        wall, cpu = run(args.records, unique=unique)
        print(f"{case}: {wall:,.0f} records/s wall, {cpu:,.0f} records per CPU-second")


if __name__ == "__main__":
    main()
