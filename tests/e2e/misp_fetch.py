#!/usr/bin/env python3
"""misp_fetch.py FEED_URL_OR_DIR STATE_DIR [--feed-distribution N] [--describe-types FILE] [--now TS] [--strict]

Test consumer for a MISP-format feed ("source_format": "misp") that imitates what a
MISP 2.5 instance does when it fetches the feed.  Behaviour modelled on MISP/MISP
(branch 2.5, Oct 2024):
  app/Model/Feed.php        getNewEventUuids, downloadAndParseEventFromFeed, __prepareEvent,
                            __addEventFromFeed/__updateEventFromFeed, getCache,
                            __cacheMISPFeedCache, attachFeedCorrelations
  app/Model/Event.php       _add, _edit
  app/Model/MispAttribute.php editAttribute, beforeValidateMassage, $validate, valueIsUnique
  app/Lib/Tools/AttributeValidationTool.php  modifyBeforeValidation, validate

STATE_DIR plays the part of the MISP database: one <event-uuid>.json per stored event
(attributes are never removed from it; a soft-deleted attribute has "deleted": true).

Algorithm (the same as MISP's):
  1. read <feed>/manifest.json: {event_uuid: {info, Orgc, date, timestamp, ...}}
  2. for each uuid: no local event               -> "add"
                    local.timestamp < manifest ts  -> "edit"
                    otherwise                      -> "skip" (file not downloaded)
  3. add/edit: download <feed>/<uuid>.json, unwrap {"response":[...]} / [...] like MISP,
     validate it, then
       add : store the event with every valid attribute (invalid attributes are dropped,
             like MISP's per-attribute validation); a published event with no
             Attribute/Object/EventReport is refused.
       edit: refused unless Event.timestamp (file) > local timestamp. Then attribute by
             attribute, keyed on attribute uuid:
               unknown uuid                 -> added (unless a non-deleted attribute with the
                                               same type/category/value exists: MISP drops it)
               incoming.timestamp <= local  -> unchanged (MISP ignores it even if it differs)
               incoming.timestamp  > local  -> updated; "deleted": true => soft-deleted ("removed")
               local attribute not in file  -> kept as is ("absent_from_feed_kept")
     Event tags: attached when new, detached only if sent with "deleted": true.
  4. hashes.csv: every row "<md5 of value>,<event uuid>"; it must hold exactly the md5 of
     every non-deleted attribute value (composite types: one row per part, as PyMISP's
     feed generator writes) with the right event uuid.

Prints a JSON report; exit status 0 when no errors, 1 otherwise.
"""
import argparse
import csv
import datetime as _dt
import hashlib
import io
import ipaddress
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request

UUID_RE = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')
DECIMAL_RE = re.compile(r'^[0-9]+$')
DATE_RE = re.compile(r'^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
MD5_RE = re.compile(r'^[0-9a-f]{32}$')
COLOUR_RE = re.compile(r'^#[0-9a-fA-F]{6}$')
DOMAIN_RE = re.compile(r'^[A-Z0-9.\-_]+\.[A-Z0-9\-]{2,}$', re.I)   # AttributeValidationTool::isDomainValid

# Subset of MISP's describeTypes (PyMISP pymisp/data/describeTypes.json, MISP
# MispAttribute::$typeDefinitions): type -> (default_category, default to_ids, allowed categories).
# Pass --describe-types to use the full official table instead.
_NET = ['Payload delivery', 'Network activity', 'External analysis']
_HASHCATS = ['Payload delivery', 'Artifacts dropped', 'Payload installation', 'External analysis']
BUILTIN_TYPES = {
    'domain': ('Network activity', True, _NET),
    'hostname': ('Network activity', True, _NET),
    'ip-dst': ('Network activity', True, _NET),
    'ip-src': ('Network activity', True, _NET),
    'url': ('Network activity', True, _NET),
    'domain|ip': ('Network activity', True, ['Network activity', 'External analysis']),
    'ip-dst|port': ('Network activity', True, _NET),
    'ip-src|port': ('Network activity', True, _NET),
    'md5': ('Payload delivery', True, _HASHCATS),
    'sha1': ('Payload delivery', True, _HASHCATS),
    'sha256': ('Payload delivery', True, _HASHCATS),
    'sha512': ('Payload delivery', True, _HASHCATS),
    'filename|md5': ('Payload delivery', True, _HASHCATS),
    'filename|sha1': ('Payload delivery', True, _HASHCATS),
    'filename|sha256': ('Payload delivery', True, _HASHCATS),
    'email-src': ('Payload delivery', True, ['Payload delivery', 'Network activity', 'Social network']),
}
HASH_LEN = {'md5': 32, 'sha1': 40, 'sha224': 56, 'sha256': 64, 'sha384': 96, 'sha512': 128}
LOWERCASE_TYPES = set(HASH_LEN) | {'hostname', 'email', 'email-src', 'email-dst'}
# MispAttribute::NON_CORRELATING_TYPES / PRIMARY_ONLY_CORRELATING_TYPES (lookup side of hashes.csv)
NON_CORRELATING_TYPES = {'comment', 'http-method', 'aba-rtn', 'gender', 'counter', 'integer', 'float',
                         'port', 'nationality', 'cortex', 'boolean', 'anonymised'}
PRIMARY_ONLY_CORRELATING_TYPES = {'ip-src|port', 'ip-dst|port', 'hostname|port'}


class Types:
    def __init__(self, describe_types_path=None):
        self.full = False
        self.table = dict(BUILTIN_TYPES)
        if describe_types_path:
            with open(describe_types_path, encoding='utf-8') as f:
                d = json.load(f)
            d = d.get('result', d)
            table = {}
            for t in d['types']:
                sd = d['sane_defaults'].get(t, {})
                cats = [c for c, ts in d['category_type_mappings'].items() if t in ts]
                table[t] = (sd.get('default_category'), bool(int(sd.get('to_ids', 0))), cats)
            self.table = table
            self.full = True

    def is_composite(self, t):
        return '|' in t or t == 'malware-sample'


# ----------------------------------------------------------------------------- I/O

def is_url(src):
    return src.startswith('http://') or src.startswith('https://')


def read_feed_file(src, name):
    """Like Feed::feedGetUri: <url>/<name> over HTTP, or a local file."""
    if is_url(src):
        url = src.rstrip('/') + '/' + name
        req = urllib.request.Request(url, headers={'Accept': 'application/json, text/plain, text/*',
                                                   'User-Agent': 'misp_fetch.py (MISP feed test)'})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.read().decode('utf-8')
        except urllib.error.HTTPError as e:
            raise FileNotFoundError('%s: HTTP %s' % (url, e.code))
    path = os.path.join(src, name)
    with open(path, encoding='utf-8') as f:
        return f.read()


def load_state(state_dir, uuid):
    p = os.path.join(state_dir, uuid + '.json')
    if not os.path.exists(p):
        return None
    with open(p, encoding='utf-8') as f:
        return json.load(f)


def save_state(state_dir, uuid, ev):
    p = os.path.join(state_dir, uuid + '.json')
    tmp = p + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(ev, f, indent=1, sort_keys=True)
    os.replace(tmp, p)


# ----------------------------------------------------------------------------- helpers

def ts_int(v):
    """MISP compares timestamps numerically (PHP loose comparison); accept int or decimal string."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str) and DECIMAL_RE.match(v):
        return int(v)
    return None


def parse_iso(v):
    try:
        s = v.replace('Z', '+00:00')
        d = _dt.datetime.fromisoformat(s)
        if d.tzinfo is None:
            d = d.replace(tzinfo=_dt.timezone.utc)   # MISP parses naive values as GMT
        return d
    except Exception:
        return None


def misp_normalise(t, value):
    """AttributeValidationTool::modifyBeforeValidation for the common types."""
    v = value.strip()
    if t in ('ip-src', 'ip-dst'):
        try:
            if '/' in v:
                ip, rng = v.split('/', 1)
                if ':' in ip:
                    ip = str(ipaddress.IPv6Address(ip))
                if (rng == '32' and '.' in v) or (rng == '128' and ':' in v):
                    return ip
                return ip + '/' + rng
            if ':' in v:
                return str(ipaddress.IPv6Address(v))
        except ValueError:
            return v
        return v
    if t == 'domain':
        return v.lower().strip('.')
    if t in LOWERCASE_TYPES:
        return v.lower()
    return v


def value_problem(t, v):
    """AttributeValidationTool::validate for the common types; None if OK."""
    if t in HASH_LEN:
        if len(v) != HASH_LEN[t] or not re.match(r'^[0-9a-fA-F]+$', v):
            return '%s must be %d hex characters' % (t, HASH_LEN[t])
    elif t in ('domain', 'hostname'):
        if not DOMAIN_RE.match(v):
            return '%s has an invalid format' % t
    elif t in ('ip-src', 'ip-dst'):
        try:
            if '/' in v:
                ipaddress.ip_network(v, strict=False)
            else:
                ipaddress.ip_address(v)
        except ValueError:
            return 'IP address has an invalid format'
    elif '|' in t:
        if v.count('|') < 1:
            return 'composite type but value not in value1|value2 format'
    return None


def value_hashes(t, value, types):
    """PyMISP MISPAttribute.hash_values('md5') as used by examples/feed-generator/generate.py."""
    parts = value.split('|') if types.is_composite(t) else [value]
    return [hashlib.md5(p.encode('utf-8')).hexdigest() for p in parts]


def attr_label(a):
    return '%s %s=%s' % (a.get('uuid'), a.get('type'), a.get('value'))


def unwrap_event(doc):
    """Feed::__prepareEvent accepts {"response": ...} and a one-element list."""
    notes = []
    if isinstance(doc, dict) and 'response' in doc:
        doc = doc['response']
        notes.append('event file wrapped in "response" (MISP unwraps it)')
    if isinstance(doc, list):
        if not doc:
            return None, notes
        doc = doc[0]
        notes.append('event file is a JSON list (MISP takes element 0)')
    if isinstance(doc, dict) and 'Event' in doc and isinstance(doc['Event'], dict):
        ev = doc['Event']
        if 'orgc' in ev and 'Orgc' not in ev:          # MISP fixes the key case
            ev['Orgc'] = ev.pop('orgc')
            notes.append('"orgc" renamed to "Orgc" (MISP does the same)')
        return ev, notes
    return None, notes


# ----------------------------------------------------------------------------- validation

def validate_attribute(a, types, where):
    """Returns (errors, warnings). An error means MISP would drop (or mishandle) the attribute."""
    E, W = [], []
    if not isinstance(a, dict):
        return ['%s: not an object' % where], W
    u = a.get('uuid')
    if not isinstance(u, str) or not UUID_RE.match(u):
        E.append('%s: uuid missing/invalid (missing: MISP invents one, so later updates can never match it; '
                 'malformed: MISP validation drops it)' % where)
    elif u != u.lower():
        W.append('%s: uuid not lower-case (MISP lower-cases it)' % where)
    t = a.get('type')
    if not isinstance(t, str) or not t:
        E.append('%s: type missing ("No type set.")' % where)
        return E, W
    known = t in types.table
    if not known:
        (E if types.full else W).append('%s: type %r %s' % (where, t, 'is not a MISP type' if types.full
                                                             else 'not in built-in table (use --describe-types)'))
    c = a.get('category')
    if c in (None, ''):
        W.append('%s: category missing (MISP uses the default for %s: %s)' % (
            where, t, types.table[t][0] if known else '?'))
    elif known and c not in types.table[t][2]:
        E.append('%s: category %r not valid for type %r (allowed: %s)' % (where, c, t, ', '.join(types.table[t][2])))
    v = a.get('value')
    if not isinstance(v, str) or not v.strip():
        E.append('%s: value missing/empty or not a string' % where)
    else:
        p = value_problem(t, misp_normalise(t, v))
        if p:
            E.append('%s: %s (%r)' % (where, p, v))
        nv = misp_normalise(t, v)
        if nv != v:
            W.append('%s: MISP will store %r instead of %r -> md5 in hashes.csv will not match MISP lookups'
                     % (where, nv, v))
    if 'to_ids' not in a:
        W.append('%s: to_ids missing (RFC: MUST; MISP uses the type default)' % where)
    elif not isinstance(a['to_ids'], bool):
        if a['to_ids'] in (0, 1, '0', '1'):
            W.append('%s: to_ids should be a JSON boolean' % where)
        else:
            E.append('%s: to_ids must be a boolean' % where)
    ts = a.get('timestamp')
    if ts is None:
        W.append('%s: timestamp missing (MISP stamps time(); the attribute is then rewritten every time '
                 'the event is re-fetched)' % where)
    elif ts_int(ts) is None:
        E.append('%s: timestamp must be decimal seconds' % where)
    elif not isinstance(ts, str):
        W.append('%s: timestamp should be a JSON string (RFC / schema)' % where)
    if 'comment' in a and not isinstance(a['comment'], str):
        E.append('%s: comment must be a string' % where)
    if 'deleted' in a and not isinstance(a['deleted'], bool):
        W.append('%s: deleted should be a JSON boolean' % where)
    fs = ls = None
    for k in ('first_seen', 'last_seen'):
        if k in a:
            if a[k] is None:
                W.append('%s: %s is null (allowed by MISP, but the strict 2.5 schema wants a string; omit it)' % (where, k))
                continue
            d = parse_iso(a[k]) if isinstance(a[k], str) else None
            if d is None:
                E.append('%s: %s is not ISO 8601 (%r)' % (where, k, a[k]))
            elif k == 'first_seen':
                fs = d
            else:
                ls = d
    if fs and ls and fs > ls:
        E.append('%s: last_seen is before first_seen (MISP validation fails)' % where)
    if 'distribution' in a and str(a['distribution']) not in ('0', '1', '2', '3', '4', '5'):
        E.append('%s: distribution must be "0".."5"' % where)
    if 'sharing_group_id' in a and str(a.get('distribution')) != '4' and str(a['sharing_group_id']) != '0':
        W.append('%s: sharing_group_id must be "0" unless distribution is "4"' % where)
    for tg in a.get('Tag', []) or []:
        if not isinstance(tg, dict) or not tg.get('name'):
            E.append('%s: Tag without name' % where)
    return E, W


def validate_event(ev, types, expected_uuid=None):
    """ev is the inner Event dict.
    Returns (event_errors, attribute_errors, warnings, bad_attribute_uuids).
    An event error makes MISP refuse the whole event; an attribute error drops that attribute."""
    E, AE, W, bad = [], [], [], set()
    u = ev.get('uuid')
    if not isinstance(u, str) or not UUID_RE.match(u):
        E.append('Event.uuid missing/invalid (MISP: "Event UUID field missing.")')
    else:
        if u != u.lower():
            W.append('Event.uuid not lower-case (MISP lower-cases it)')
        if expected_uuid and u.lower() != expected_uuid.lower():
            E.append('Event.uuid %s does not match the manifest key / file name %s '
                     '(MISP does not check this and would store the event under %s)' % (u, expected_uuid, u))
    if not isinstance(ev.get('info'), str) or not ev.get('info', '').strip():
        E.append('Event.info missing/empty (MISP validation: required)')
    d = ev.get('date')
    if d is None:
        W.append('Event.date missing (MISP uses today)')
    elif not isinstance(d, str) or not DATE_RE.match(d):
        E.append('Event.date must be "YYYY-MM-DD"')
    tl = ev.get('threat_level_id')
    if tl is None:
        W.append('Event.threat_level_id missing (MISP default 4)')
    elif str(tl) not in ('1', '2', '3', '4'):
        E.append('Event.threat_level_id must be "1".."4"')
    elif not isinstance(tl, str):
        W.append('Event.threat_level_id should be a JSON string')
    an = ev.get('analysis')
    if an is None:
        W.append('Event.analysis missing (MISP default 0)')
    elif str(an) not in ('0', '1', '2'):
        E.append('Event.analysis must be "0","1" or "2"')
    elif not isinstance(an, str):
        W.append('Event.analysis should be a JSON string')
    ts = ev.get('timestamp')
    if ts is None:
        E.append('Event.timestamp missing (needed for the manifest comparison and _edit)')
    elif ts_int(ts) is None:
        E.append('Event.timestamp must be decimal seconds')
    elif not isinstance(ts, str):
        W.append('Event.timestamp should be a JSON string')
    pts = ev.get('publish_timestamp')
    if pts is not None and ts_int(pts) is None:
        E.append('Event.publish_timestamp must be decimal seconds')
    if 'published' not in ev:
        W.append('Event.published missing (RFC: MUST; MISP treats it as false)')
    elif not isinstance(ev['published'], bool):
        W.append('Event.published should be a JSON boolean')
    org = ev.get('Orgc')
    if org is None:
        W.append('Event.Orgc missing (MISP attributes the event to the fetching org)')
    elif not isinstance(org, dict) or not org.get('name'):
        E.append('Event.Orgc.name missing (Organisation::captureOrg needs it)')
    elif not org.get('uuid'):
        W.append('Event.Orgc.uuid missing (MISP then matches the org by name only)')
    elif not UUID_RE.match(str(org['uuid'])):
        E.append('Event.Orgc.uuid invalid')
    if 'distribution' in ev:
        if str(ev['distribution']) not in ('0', '1', '2', '3', '4'):
            E.append('Event.distribution must be "0".."4"')
        elif str(ev['distribution']) == '4' and not ev.get('SharingGroup'):
            E.append('Event.distribution is "4" but no SharingGroup object')
    if 'sharing_group_id' in ev and str(ev.get('distribution')) != '4' and str(ev['sharing_group_id']) != '0':
        W.append('Event.sharing_group_id must be "0" unless distribution is "4"')
    for tg in ev.get('Tag', []) or []:
        if not isinstance(tg, dict) or not tg.get('name'):
            E.append('Event Tag without name')
        elif 'colour' in tg and not COLOUR_RE.match(str(tg['colour'])):
            W.append('Tag %r colour should be "#rrggbb"' % tg['name'])
    attrs = ev.get('Attribute', [])
    if not isinstance(attrs, list):
        E.append('Event.Attribute must be a list')
        attrs = []
    seen = set()
    max_ts = 0
    for i, a in enumerate(attrs):
        where = 'Attribute[%d]%s' % (i, (' ' + a.get('uuid', '')) if isinstance(a, dict) else '')
        ae, aw = validate_attribute(a, types, where)
        AE.extend(ae)
        W.extend(aw)
        if isinstance(a, dict):
            if ae:
                bad.add(a.get('uuid'))
            if a.get('uuid') in seen:
                AE.append('%s: duplicate attribute uuid in the event' % where)
            seen.add(a.get('uuid'))
            max_ts = max(max_ts, ts_int(a.get('timestamp')) or 0)
    if ev.get('Object'):
        W.append('Event has %d Object(s); this test fetcher does not merge objects' % len(ev['Object']))
    if ts_int(ts) is not None and max_ts > ts_int(ts):
        W.append('Event.timestamp (%s) older than its newest attribute (%d); MISP sets the event '
                 'timestamp to the last change' % (ts, max_ts))
    if ev.get('published') is True and not attrs and not ev.get('Object') and not ev.get('EventReport'):
        E.append('published event with no Attribute/Object/EventReport: MISP _add refuses it '
                 '("Received a published event that was empty")')
    return E, AE, W, bad


def validate_manifest_entry(uuid, m):
    E, W = [], []
    if not UUID_RE.match(uuid):
        E.append('manifest key %r is not a UUID (MISP: "Given event UUID is invalid")' % uuid)
    if not isinstance(m, dict):
        return E + ['manifest[%s] is not an object' % uuid], W
    if 'orgc' in m and 'Orgc' not in m:
        W.append('manifest[%s]: "orgc" should be "Orgc" (MISP fixes the case)' % uuid)
        m['Orgc'] = m['orgc']
    for k in ('info', 'Orgc', 'timestamp', 'date'):        # misp-rfc "Manifest": MUST
        if k not in m:
            E.append('manifest[%s]: %s missing (RFC MUST)' % (uuid, k))
    for k in ('analysis', 'threat_level_id'):              # SHALL
        if k not in m:
            W.append('manifest[%s]: %s missing (RFC SHALL)' % (uuid, k))
    if 'timestamp' in m and ts_int(m['timestamp']) is None:
        E.append('manifest[%s]: timestamp must be decimal seconds (int or string)' % uuid)
    if isinstance(m.get('Orgc'), dict) and not m['Orgc'].get('name'):
        E.append('manifest[%s]: Orgc.name missing (preview/filter rules read it)' % uuid)
    if 'Tag' in m and not isinstance(m['Tag'], list):
        E.append('manifest[%s]: Tag must be a list' % uuid)
    return E, W


# ----------------------------------------------------------------------------- merge (MISP semantics)

def _tag_merge(existing, incoming):
    """EventTag::handleEventTag / attribute tags: attach unless "deleted": true, then detach."""
    names = [t['name'] for t in existing or []]
    added, removed = [], []
    for t in incoming or []:
        if not isinstance(t, dict) or not t.get('name'):
            continue
        if t.get('deleted'):
            if t['name'] in names:
                names.remove(t['name'])
                removed.append(t['name'])
        elif t['name'] not in names:
            names.append(t['name'])
            added.append(t['name'])
    by = {t['name']: t for t in (existing or [])}
    by.update({t['name']: {k: v for k, v in t.items() if k != 'deleted'}
               for t in (incoming or []) if isinstance(t, dict) and t.get('name')})
    return [by[n] for n in names], added, removed


def _stored_attr(a, types, now, keep_distribution=False):
    t = a['type']
    s = {
        'uuid': a['uuid'].lower(),
        'type': t,
        'category': a.get('category') or (types.table.get(t, (None,))[0]),
        'value': misp_normalise(t, a['value']),
        'to_ids': bool(a['to_ids']) if 'to_ids' in a else types.table.get(t, (None, True))[1],
        'timestamp': str(ts_int(a.get('timestamp')) or now),
        'comment': a.get('comment') or '',
        'deleted': bool(a.get('deleted', False)),
        # __prepareEvent forces '5' (inherit) unless the feed's own distribution is 5
        'distribution': str(a['distribution']) if keep_distribution and 'distribution' in a else '5',
    }
    for k in ('first_seen', 'last_seen', 'disable_correlation'):
        if a.get(k) is not None:
            s[k] = a[k]
    if a.get('Tag'):
        s['Tag'], _, _ = _tag_merge([], a['Tag'])
    return s


def _find_dup(stored_attrs, cand, skip_uuid=None):
    """MispAttribute::valueIsUnique / findAttributeByValue (object_id 0, not deleted)."""
    if cand.get('deleted'):
        return None
    for s in stored_attrs:
        if s['uuid'] == skip_uuid or s.get('deleted'):
            continue
        if s['type'] == cand['type'] and s['category'] == cand['category'] and s['value'] == cand['value']:
            return s
    return None


def apply_distribution(ev, feed_distribution, feed_sharing_group_id='0'):
    """Feed::__prepareEvent: the feed's distribution wins unless it is 5 ("inherit")."""
    if feed_distribution == 5 and 'distribution' in ev:
        return str(ev['distribution']), str(ev.get('sharing_group_id', '0')), 'kept from event (feed distribution 5)'
    if feed_distribution == 5:
        return '0', '0', 'event has no distribution and feed says inherit -> 0 (your org only)'
    return str(feed_distribution), str(feed_sharing_group_id), 'forced to feed distribution; attributes set to 5 (inherit)'


EVENT_FIELDS = ('uuid', 'info', 'date', 'threat_level_id', 'analysis', 'timestamp', 'publish_timestamp',
                'published', 'extends_uuid', 'disable_correlation')


def merge_event(local, ev, types, now, other_event_attr_uuids, feed_distribution):
    """Returns (new_local, attribute_report, event_report)."""
    rep = {'added': [], 'updated': [], 'removed': [], 'undeleted': [], 'unchanged': [],
           'absent_from_feed_kept': [], 'dropped': [], 'ignored_changes_timestamp_not_newer': []}
    evrep = {}
    _, _, _, bad = validate_event(ev, types)
    dist, sgid, dist_note = apply_distribution(ev, feed_distribution)
    evrep['distribution'] = {'event': dist, 'sharing_group_id': sgid, 'note': dist_note}
    if local is None:
        new = {k: ev[k] for k in EVENT_FIELDS if k in ev}
        new['uuid'] = new['uuid'].lower()
        new['timestamp'] = str(ts_int(ev.get('timestamp')) or now)
        new.setdefault('analysis', '0')
        new.setdefault('threat_level_id', '4')
        new['distribution'], new['sharing_group_id'] = dist, sgid
        new['Orgc'] = {k: ev.get('Orgc', {}).get(k) for k in ('name', 'uuid') if ev.get('Orgc', {}).get(k)}
        new['Tag'], evrep['tags_added'], _ = _tag_merge([], ev.get('Tag'))
        new['Attribute'] = []
        for a in ev.get('Attribute', []) or []:
            if not isinstance(a, dict) or a.get('uuid') in bad:
                rep['dropped'].append({'attribute': attr_label(a) if isinstance(a, dict) else repr(a),
                                       'reason': 'failed validation'})
                continue
            if a['uuid'].lower() in other_event_attr_uuids:
                rep['dropped'].append({'attribute': attr_label(a), 'reason': 'uuid already used in another event'})
                continue
            s = _stored_attr(a, types, now, feed_distribution == 5)
            new['Attribute'].append(s)       # _add does not run the per-event uniqueness rule
            rep['added'].append(attr_label(s) + (' (deleted)' if s['deleted'] else ''))
        return new, rep, evrep

    # ---- edit (Event::_edit)
    new = json.loads(json.dumps(local))
    inc_ts = ts_int(ev.get('timestamp'))
    if inc_ts is not None and inc_ts <= ts_int(local['timestamp']):
        raise ValueError('Event could not be saved: Event in the request not newer than the local copy '
                         '(file timestamp %s <= local %s)' % (ev.get('timestamp'), local['timestamp']))
    changes = {}
    for k in ('analysis', 'threat_level_id', 'info', 'date', 'published', 'publish_timestamp', 'extends_uuid'):
        if k in ev and ev[k] != local.get(k):
            changes[k] = [local.get(k), ev[k]]
            new[k] = ev[k]
    if 'published' not in ev:
        new['published'] = False        # _edit: "if (!isset($data['Event']['published'])) published = 0"
    new['timestamp'] = str(inc_ts if inc_ts is not None else now)
    changes['timestamp'] = [local['timestamp'], new['timestamp']]
    if (local.get('distribution'), local.get('sharing_group_id')) != (dist, sgid):
        changes['distribution'] = [local.get('distribution'), dist]
    new['distribution'], new['sharing_group_id'] = dist, sgid
    evrep['event_changes'] = changes
    new['Tag'], evrep['tags_added'], evrep['tags_removed'] = _tag_merge(local.get('Tag'), ev.get('Tag'))

    stored = new['Attribute']
    by_uuid = {s['uuid']: s for s in stored}
    incoming_uuids = set()
    for a in ev.get('Attribute', []) or []:
        if not isinstance(a, dict):
            continue
        u = (a.get('uuid') or '').lower()
        incoming_uuids.add(u)
        if a.get('uuid') in bad:
            rep['dropped'].append({'attribute': attr_label(a), 'reason': 'failed validation'})
            continue
        if u in other_event_attr_uuids:
            rep['dropped'].append({'attribute': attr_label(a),
                                   'reason': 'duplicate UUID (exists in another event) - blocked'})
            continue
        cand = _stored_attr(a, types, now, feed_distribution == 5)
        old = by_uuid.get(u)
        if old is None:
            dup = _find_dup(stored, cand)
            if dup:
                rep['dropped'].append({'attribute': attr_label(cand),
                                       'reason': 'A similar attribute already exists for this event (%s)' % dup['uuid']})
                continue
            stored.append(cand)
            by_uuid[u] = cand
            rep['added'].append(attr_label(cand) + (' (deleted)' if cand['deleted'] else ''))
            continue
        # existing attribute: editAttribute()
        if a.get('timestamp') is not None and ts_int(a['timestamp']) <= ts_int(old['timestamp']):
            diff = [k for k in ('value', 'type', 'category', 'to_ids', 'comment', 'deleted', 'first_seen', 'last_seen')
                    if k in a and cand.get(k) != old.get(k)]
            if diff:
                rep['ignored_changes_timestamp_not_newer'].append(
                    {'attribute': attr_label(old), 'fields': diff,
                     'note': 'timestamp %s <= stored %s, MISP keeps the old version' % (a['timestamp'], old['timestamp'])})
            else:
                rep['unchanged'].append(attr_label(old))
            continue
        # fields absent from the request are recovered from the stored attribute
        for k in ('value', 'to_ids', 'category', 'type', 'comment', 'first_seen', 'last_seen'):
            if k not in a and k in old:
                cand[k] = old[k]
        if 'deleted' not in a:
            cand['deleted'] = old.get('deleted', False)
        dup = _find_dup(stored, cand, skip_uuid=u)
        if dup:
            rep['dropped'].append({'attribute': attr_label(cand),
                                   'reason': 'A similar attribute already exists for this event (%s)' % dup['uuid']})
            continue
        diff = {k: [old.get(k), cand.get(k)] for k in
                ('value', 'type', 'category', 'to_ids', 'comment', 'deleted', 'first_seen', 'last_seen',
                 'disable_correlation') if old.get(k) != cand.get(k)}
        tags, tadd, trem = _tag_merge(old.get('Tag'), a.get('Tag'))
        if tadd or trem:
            diff['Tag'] = {'added': tadd, 'removed': trem}
        cand['Tag'] = tags
        if not cand['Tag']:
            cand.pop('Tag')
        diff['timestamp'] = [old['timestamp'], cand['timestamp']]
        stored[stored.index(old)] = cand
        by_uuid[u] = cand
        entry = {'attribute': attr_label(cand), 'changes': diff}
        if cand['deleted'] and not old.get('deleted'):
            rep['removed'].append(entry)
        elif old.get('deleted') and not cand['deleted']:
            rep['undeleted'].append(entry)
        else:
            rep['updated'].append(entry)
    for s in stored:
        if s['uuid'] not in incoming_uuids:
            rep['absent_from_feed_kept'].append(attr_label(s) + (' (deleted)' if s.get('deleted') else ''))
    if rep['absent_from_feed_kept']:
        evrep.setdefault('notes', []).append(
            'attributes missing from the feed file are NOT deleted by MISP; send them with '
            '"deleted": true and a newer timestamp to revoke them')
    return new, rep, evrep


# ----------------------------------------------------------------------------- hashes.csv

def check_hashes(src, manifest, events, types):
    out = {'present': True, 'rows': 0, 'expected_rows': 0, 'missing': [], 'extra': [], 'wrong_event_uuid': [],
           'deleted_but_listed': [], 'malformed': [], 'duplicates': 0, 'not_correlated_by_misp': [], 'ok': False}
    try:
        data = read_feed_file(src, 'hashes.csv')
    except (FileNotFoundError, OSError) as e:
        out['present'] = False
        out['note'] = 'no hashes.csv (%s): MISP falls back to downloading every event to build its cache' % e
        return out
    if not data.strip():
        out['note'] = 'hashes.csv empty: MISP raises "is empty" and falls back to the slow path'
        return out
    rows = set()
    for i, row in enumerate(csv.reader(io.StringIO(data.strip()))):   # Feed::getCache -> fgetcsv(',')
        out['rows'] += 1
        if len(row) != 2 or not MD5_RE.match(row[0]) or not UUID_RE.match(row[1]):
            out['malformed'].append({'line': i + 1, 'row': row})
            continue
        if (row[0], row[1]) in rows:
            out['duplicates'] += 1
        rows.add((row[0], row[1]))
    expected, deleted = {}, {}
    for euuid, ev in events.items():
        for a in ev.get('Attribute', []) or []:
            if not isinstance(a, dict) or not isinstance(a.get('value'), str) or not a.get('type'):
                continue
            for h in value_hashes(a['type'], a['value'], types):
                (deleted if a.get('deleted') else expected).setdefault((h, euuid), []).append(attr_label(a))
            if a['type'] in NON_CORRELATING_TYPES:
                out['not_correlated_by_misp'].append(attr_label(a))
            elif a['type'] in PRIMARY_ONLY_CORRELATING_TYPES:
                out['not_correlated_by_misp'].append(attr_label(a) + ' (2nd part never looked up)')
        for o in ev.get('Object', []) or []:
            for a in o.get('Attribute', []) or []:
                if isinstance(a, dict) and isinstance(a.get('value'), str) and not a.get('deleted'):
                    for h in value_hashes(a['type'], a['value'], types):
                        expected.setdefault((h, euuid), []).append(attr_label(a))
    out['expected_rows'] = len(expected)
    by_hash = {}
    for h, e in rows:
        by_hash.setdefault(h, set()).add(e)
    for (h, e), labels in sorted(expected.items()):
        if (h, e) not in rows:
            if h in by_hash:
                out['wrong_event_uuid'].append({'md5': h, 'expected_event': e, 'listed_with': sorted(by_hash[h]),
                                                'attributes': labels})
            else:
                out['missing'].append({'md5': h, 'event': e, 'attributes': labels})
    for (h, e) in sorted(rows):
        if (h, e) not in expected:
            if (h, e) in deleted:
                out['deleted_but_listed'].append({'md5': h, 'event': e, 'attributes': deleted[(h, e)]})
            elif e not in manifest:
                out['extra'].append({'md5': h, 'event': e, 'why': 'event uuid not in manifest'})
            else:
                out['extra'].append({'md5': h, 'event': e, 'why': 'no such attribute value in that event'})
    out['ok'] = not (out['missing'] or out['extra'] or out['wrong_event_uuid'] or out['malformed']
                     or out['deleted_but_listed'])
    return out


# ----------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('feed', help='feed directory or http(s) base URL (the directory holding manifest.json)')
    ap.add_argument('state_dir', help='directory emulating the MISP database (created if missing)')
    ap.add_argument('--feed-distribution', type=int, default=3,
                    help="the consuming MISP's Feed.distribution setting (0-5, default 3)")
    ap.add_argument('--describe-types', help='path to PyMISP pymisp/data/describeTypes.json for full type checks')
    ap.add_argument('--now', type=int, default=None, help='override time() used where MISP would stamp time()')
    ap.add_argument('--strict', action='store_true', help='exit 1 on warnings too')
    args = ap.parse_args(argv)
    types = Types(args.describe_types)
    now = args.now or int(time.time())
    os.makedirs(args.state_dir, exist_ok=True)

    report = {'feed': args.feed, 'state_dir': args.state_dir, 'errors': [], 'warnings': [], 'events': {}}
    try:
        manifest = json.loads(read_feed_file(args.feed, 'manifest.json'))
    except (OSError, ValueError) as e:
        report['errors'].append('cannot read/parse manifest.json: %s' % e)
        print(json.dumps(report, indent=2))
        return 1
    if not isinstance(manifest, dict):
        report['errors'].append('manifest.json must be a JSON object keyed by event uuid')
        print(json.dumps(report, indent=2))
        return 1
    report['manifest_events'] = len(manifest)

    # uuids of attributes stored in *other* events (MISP blocks re-use of an attribute uuid)
    attr_owner = {}
    for fn in os.listdir(args.state_dir):
        if fn.endswith('.json'):
            with open(os.path.join(args.state_dir, fn), encoding='utf-8') as f:
                st = json.load(f)
            for s in st.get('Attribute', []):
                attr_owner[s['uuid']] = st['uuid']

    feed_events = {}      # every event file, for the manifest/hashes consistency checks
    for uuid, m in manifest.items():
        er = {'info': m.get('info') if isinstance(m, dict) else None, 'errors': [], 'warnings': []}
        report['events'][uuid] = er
        me, mw = validate_manifest_entry(uuid, m)
        er['errors'] += me
        er['warnings'] += mw
        try:
            doc = json.loads(read_feed_file(args.feed, uuid + '.json'))
            ev, notes = unwrap_event(doc)
            er['warnings'] += notes
            if ev is None:
                raise ValueError('no {"Event": {...}} object in the file')
        except (OSError, ValueError) as e:
            er['errors'].append('cannot read/parse %s.json: %s' % (uuid, e))
            er['action'] = 'error'
            continue
        feed_events[uuid] = ev
        ve, vae, vw, _ = validate_event(ev, types, expected_uuid=uuid)
        er['errors'] += ve + vae
        er['warnings'] += vw
        mts, fts = ts_int(m.get('timestamp')) if isinstance(m, dict) else None, ts_int(ev.get('timestamp'))
        if mts is not None and fts is not None and mts != fts:
            er['warnings'].append('manifest timestamp %s != Event.timestamp %s in the file%s' % (
                mts, fts, ' -> MISP refetches on every run and _edit rejects the file' if mts > fts else ''))
        for k in ('info', 'date'):
            if isinstance(m, dict) and k in m and k in ev and m[k] != ev[k]:
                er['warnings'].append('manifest %s differs from the event file' % k)

        # --- decision, as Feed::getNewEventUuids
        local = load_state(args.state_dir, uuid)
        er['manifest_timestamp'] = m.get('timestamp') if isinstance(m, dict) else None
        er['local_timestamp_before'] = local['timestamp'] if local else None
        if local is not None and not (mts is not None and ts_int(local['timestamp']) < mts):
            er['action'] = 'skip (local copy not older than manifest)'
            continue
        er['action'] = 'edit' if local else 'add'
        if ve:
            er['errors'].append('event not imported (event-level errors above)')
            er['action'] += ' -> failed'
            continue
        others = {u for u, owner in attr_owner.items() if owner != uuid.lower()}
        try:
            new, arep, evrep = merge_event(local, ev, types, now, others, args.feed_distribution)
        except ValueError as e:
            er['errors'].append(str(e))
            er['action'] += ' -> failed'
            continue
        save_state(args.state_dir, new['uuid'], new)
        er['attributes'] = arep
        er.update(evrep)
        for x in arep['ignored_changes_timestamp_not_newer']:
            er['warnings'].append('changed attribute ignored by MISP (timestamp not newer): ' + x['attribute'])
        if arep['absent_from_feed_kept']:
            er['warnings'].append('%d stored attribute(s) absent from the feed file stay live in MISP'
                                  % len(arep['absent_from_feed_kept']))
        er['summary'] = {k: len(v) for k, v in arep.items()}

    report['hashes_csv'] = check_hashes(args.feed, manifest, feed_events, types)
    for uuid, er in report['events'].items():
        if not er['errors']:
            del er['errors']
        if not er['warnings']:
            del er['warnings']
    report['fetched'] = [u for u, er in report['events'].items() if er.get('action') in ('add', 'edit')]
    ok = not report['errors'] and all('errors' not in er for er in report['events'].values()) \
        and report['hashes_csv'].get('ok', False)
    if args.strict and (report['warnings'] or any('warnings' in er for er in report['events'].values())):
        ok = False
    report['ok'] = ok
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
