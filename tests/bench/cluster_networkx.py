"""The yardstick of the cluster benchmark: networkx doing the connected
components of the same report graph that `crowdfeed cluster` builds from a
gen_reports exchange (CSV report,indicator,type): a URL gives its host, the
whitelisted values and those named by more than MAX_REPORTS reports link
nothing. Prints the clusters of two reports or more, one a line, their
report ids sorted and joined by ';' (the reports column of clusters.csv),
sorted, to compare with the truth file and with crowdfeed's output.

    python3 cluster_networkx.py REPORTS.csv WHITELIST.txt MAX_REPORTS OUT.txt
"""
import collections
import csv
import sys

import networkx

reports_file, whitelist_file, max_reports, out_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with open(whitelist_file) as f:
    whitelist = {line.strip() for line in f if line.strip() and not line.startswith("#")}
links = set()
with open(reports_file, newline="") as f:
    rows = csv.reader(f)
    next(rows)
    for report, value, kind in rows:
        if kind == "URL":
            value = value.split("/")[2]
        links.add((report, value.lower()))
named_by = collections.Counter(value for _, value in links)
graph = networkx.Graph()
for report, value in links:
    graph.add_node("r:" + report)
    if value not in whitelist and named_by[value] <= max_reports:
        graph.add_edge("r:" + report, "i:" + value)
clusters = []
for component in networkx.connected_components(graph):
    reports = sorted(node[2:] for node in component if node.startswith("r:"))
    if len(reports) > 1:
        clusters.append(";".join(reports))
with open(out_file, "w") as f:
    f.write("".join(line + "\n" for line in sorted(clusters)))
