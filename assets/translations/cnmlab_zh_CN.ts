<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>cnmlab::ui::CanvasGraph</name>
    <message>
      <source>swarm</source>
      <translation>swarm</translation>
    </message>
    <message>
      <source>swarm service</source>
      <translation>swarm 服务</translation>
    </message>
    <message>
      <source>%1 · global, %2 tasks</source>
      <translation>%1 · global，%2 个任务</translation>
    </message>
    <message>
      <source>%1 · %2 replicas</source>
      <translation>%1 · %2 个副本</translation>
    </message>
    <message>
      <source>DNS round robin</source>
      <translation>DNS 轮询</translation>
    </message>
    <message>
      <source>virtual IP, IPVS</source>
      <translation>虚拟 IP，IPVS</translation>
    </message>
    <message>
      <source>task of %1</source>
      <translation>%1 的任务</translation>
    </message>
    <message>
      <source>task</source>
      <translation>任务</translation>
    </message>
    <message>
      <source>Docker host · kernel</source>
      <translation>Docker 主机 · 内核</translation>
    </message>
    <message>
      <source>routing, iptables, NAT</source>
      <translation>路由、iptables、NAT</translation>
    </message>
    <message>
      <source>internal</source>
      <translation>内部</translation>
    </message>
    <message>
      <source>attachable</source>
      <translation>可附加</translation>
    </message>
    <message>
      <source>external</source>
      <translation>外部</translation>
    </message>
    <message>
      <source>predefined</source>
      <translation>预定义</translation>
    </message>
    <message>
      <source>parent %1</source>
      <translation>父接口 %1</translation>
    </message>
    <message>
      <source>host network</source>
      <translation>主机网络</translation>
    </message>
    <message>
      <source>host's network stack</source>
      <translation>主机的网络栈</translation>
    </message>
    <message>
      <source>none · lo only</source>
      <translation>none · 仅回环</translation>
    </message>
    <message>
      <source>shares its network namespace</source>
      <translation>共享其网络命名空间</translation>
    </message>
    <message>
      <source>physical LAN</source>
      <translation>物理局域网</translation>
    </message>
    <message>
      <source> · 802.1Q trunk: VLAN %1</source>
      <translation> · 802.1Q 中继：VLAN %1</translation>
    </message>
    <message>
      <source>router</source>
      <translation>路由器</translation>
    </message>
    <message>
      <source>on the hosts' LAN</source>
      <translation>位于主机所在局域网</translation>
    </message>
    <message>
      <source>beyond the router</source>
      <translation>位于路由器之外</translation>
    </message>
    <message>
      <source>gateway %1</source>
      <translation>网关 %1</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::PacketToken</name>
    <message>
      <source>control plane</source>
      <translation>控制平面</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::EdgeItem</name>
    <message>
      <source>Endpoint: select and press Delete to disconnect</source>
      <translation>端点：选中后按 Delete 即可断开</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::EditController</name>
    <message>
      <source>Add network %1</source>
      <translation>添加网络 %1</translation>
    </message>
    <message>
      <source>Add container %1</source>
      <translation>添加容器 %1</translation>
    </message>
    <message>
      <source>Add container %1 on %2</source>
      <translation>在 %2 上添加容器 %1</translation>
    </message>
    <message>
      <source>Add host %1</source>
      <translation>添加主机 %1</translation>
    </message>
    <message>
      <source>Add %1</source>
      <translation>添加 %1</translation>
    </message>
    <message>
      <source>%1 is already on docker0</source>
      <translation>%1 已经在 docker0 上</translation>
    </message>
    <message>
      <source>%1 is already connected to %2</source>
      <translation>%1 已经连接到 %2</translation>
    </message>
    <message>
      <source>Connect %1 to %2</source>
      <translation>将 %1 连接到 %2</translation>
    </message>
    <message>
      <source>Connected %1 to %2</source>
      <translation>已将 %1 连接到 %2</translation>
    </message>
    <message>
      <source>Disconnect %1 from %2</source>
      <translation>将 %1 从 %2 断开</translation>
    </message>
    <message>
      <source>Disconnected %1 from %2</source>
      <translation>已将 %1 从 %2 断开</translation>
    </message>
    <message>
      <source>Delete %1</source>
      <translation>删除 %1</translation>
    </message>
    <message>
      <source>Deleted %1</source>
      <translation>已删除 %1</translation>
    </message>
    <message>
      <source>'%1' is not a valid name: use letters, digits, '_', '.' and '-'</source>
      <translation>“%1”不是有效的名称：只能使用字母、数字、“_”、“.”和“-”</translation>
    </message>
    <message>
      <source>'%1' is already taken</source>
      <translation>“%1”已被占用</translation>
    </message>
    <message>
      <source>Rename %1 to %2</source>
      <translation>将 %1 重命名为 %2</translation>
    </message>
    <message>
      <source>Renamed %1 to %2</source>
      <translation>已将 %1 重命名为 %2</translation>
    </message>
    <message>
      <source>Move %1</source>
      <translation>移动 %1</translation>
    </message>
    <message numerus="yes">
      <source>Move %n items</source>
      <translation>
        <numerusform>移动 %n 个对象</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::EventListModel</name>
    <message>
      <source>%1 µs</source>
      <translation>%1 µs</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Node</source>
      <translation>节点</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>设备</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>动作</translation>
    </message>
    <message>
      <source>Explanation</source>
      <translation>说明</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::EventsPanel</name>
    <message>
      <source>no such name</source>
      <translation>无此名称</translation>
    </message>
    <message>
      <source>answered</source>
      <translation>已应答</translation>
    </message>
    <message>
      <source>reachable</source>
      <translation>可达</translation>
    </message>
    <message>
      <source>unreachable</source>
      <translation>不可达</translation>
    </message>
    <message>
      <source>%1: %2 — %3</source>
      <translation>%1：%2 — %3</translation>
    </message>
    <message>
      <source>It never left %1, so there is no hop to show.</source>
      <translation>它从未离开 %1，因此没有可显示的跳。</translation>
    </message>
    <message>
      <source>No probe yet. Choose a source and a destination in the Probe bar and press Send, pick one of the file's probes, or click a cell of the reachability matrix.</source>
      <translation>还没有探测。在探测栏中选择源和目标后点击“发送”，或选择文件中的某个探测，或点击可达性矩阵中的单元格。</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::ExternalForm</name>
    <message>
      <source>Machine</source>
      <translation>机器</translation>
    </message>
    <message>
      <source>The machine's name under x-externals:</source>
      <translation>机器在 x-externals: 下的名称</translation>
    </message>
    <message>
      <source>Where</source>
      <translation>位置</translation>
    </message>
    <message>
      <source>On the hosts' LAN (underlay:) or beyond the LAN's router (address:)</source>
      <translation>位于主机所在局域网（underlay:），或位于局域网路由器之外（address:）</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>192.168.100.50/24 on the LAN, or 203.0.113.10 beyond the router</source>
      <translation>局域网上如 192.168.100.50/24，路由器之外如 203.0.113.10</translation>
    </message>
    <message>
      <source>on the hosts' LAN</source>
      <translation>位于主机所在局域网</translation>
    </message>
    <message>
      <source>beyond the router</source>
      <translation>位于路由器之外</translation>
    </message>
    <message>
      <source>Its eth0 is on the LAN; it reaches the hosts' addresses and their published ports directly.</source>
      <translation>它的 eth0 连在局域网上，可以直接访问各主机的地址及其发布的端口。</translation>
    </message>
    <message>
      <source>The router at the LAN's first address answers for it: the hosts' default route leads there, through NAT.</source>
      <translation>局域网第一个地址上的路由器代表它应答：主机的默认路由经 NAT 指向那里。</translation>
    </message>
    <message>
      <source>Set address of %1</source>
      <translation>设置 %1 的地址</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::FieldParse</name>
    <message>
      <source>expected an IPv4 network such as 10.20.0.0/24</source>
      <translation>应为 IPv4 网段，例如 10.20.0.0/24</translation>
    </message>
    <message>
      <source>expected an IPv4 address such as 10.20.0.10</source>
      <translation>应为 IPv4 地址，例如 10.20.0.10</translation>
    </message>
    <message>
      <source>'%1' is not a port such as 80/tcp or 53/udp</source>
      <translation>“%1”不是端口，应形如 80/tcp 或 53/udp</translation>
    </message>
    <message>
      <source>'%1' is not a port mapping such as 8080:80 or 53:53/udp</source>
      <translation>“%1”不是端口映射，应形如 8080:80 或 53:53/udp</translation>
    </message>
    <message>
      <source>'%1' has an invalid host address</source>
      <translation>“%1”的主机地址无效</translation>
    </message>
    <message>
      <source>'%1': ports are 1-65535 and ranges must have the same length</source>
      <translation>“%1”：端口范围为 1-65535，且两侧范围长度必须相同</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::HostForm</name>
    <message>
      <source>Docker host</source>
      <translation>Docker 主机</translation>
    </message>
    <message>
      <source>The host's name under x-hosts:</source>
      <translation>主机在 x-hosts: 下的名称</translation>
    </message>
    <message>
      <source>LAN address</source>
      <translation>局域网地址</translation>
    </message>
    <message>
      <source>underlay: the host's eth0 address on the physical LAN, e.g. 192.168.100.11/24</source>
      <translation>underlay：主机 eth0 在物理局域网上的地址，例如 192.168.100.11/24</translation>
    </message>
    <message>
      <source>On this host</source>
      <translation>在此主机上</translation>
    </message>
    <message numerus="yes">
      <source>%n container(s). dockerd creates docker0 (172.17.0.0/16), the DOCKER chains and one bridge per bridge network used here.</source>
      <translation>
        <numerusform>%n 个容器。dockerd 在此创建 docker0（172.17.0.0/16）、DOCKER 链，并为这里用到的每个 bridge 网络各创建一个网桥。</numerusform>
      </translation>
    </message>
    <message>
      <source>a Docker host needs an address on the LAN</source>
      <translation>Docker 主机需要一个局域网地址</translation>
    </message>
    <message>
      <source>Set LAN address of %1</source>
      <translation>设置 %1 的局域网地址</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::InspectorPanel</name>
    <message>
      <source>Container (Compose service)</source>
      <translation>容器（Compose 服务）</translation>
    </message>
    <message>
      <source>Network · %1 driver</source>
      <translation>网络 · %1 驱动</translation>
    </message>
    <message>
      <source>Docker host</source>
      <translation>Docker 主机</translation>
    </message>
    <message>
      <source>External machine</source>
      <translation>外部机器</translation>
    </message>
    <message>
      <source>Project</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>Cannot simulate: </source>
      <translation>无法模拟：</translation>
    </message>
    <message>
      <source>Show</source>
      <translation>显示</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::LessonPanel</name>
    <message>
      <source>No lesson</source>
      <translation>没有课程</translation>
    </message>
    <message>
      <source>&lt;p&gt;This scenario has no &lt;code&gt;x-lesson&lt;/code&gt;. Open &lt;b&gt;scenarios/tour.yaml&lt;/b&gt; for a guided tour of Docker networking on one host.&lt;/p&gt;</source>
      <translation>&lt;p&gt;此场景没有 &lt;code&gt;x-lesson&lt;/code&gt;。打开 &lt;b&gt;scenarios/tour.yaml&lt;/b&gt;，跟随引导了解单主机上的 Docker 网络。&lt;/p&gt;</translation>
    </message>
    <message>
      <source>Step %1 of %2</source>
      <translation>第 %1 步，共 %2 步</translation>
    </message>
    <message>
      <source>Probe: %1 → %2</source>
      <translation>探测：%1 → %2</translation>
    </message>
    <message>
      <source>Back</source>
      <translation>上一步</translation>
    </message>
    <message>
      <source>Next</source>
      <translation>下一步</translation>
    </message>
    <message>
      <source>Play this step's probe</source>
      <translation>播放本步的探测</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::LiveHelper</name>
    <message>
      <source>Live mode builds the topology through a helper that runs as root, started with your permission by pkexec or sudo, and neither is installed. Install the Debian package pkexec (your desktop then asks for the administrator&apos;s password), or build it from a terminal with `sudo cnmlab live up FILE`.</source>
      <translation>实时模式通过一个以 root 身份运行的辅助进程来构建拓扑，它需经你许可、由 pkexec 或 sudo 启动，而这两者都未安装。请安装 Debian 软件包 pkexec（桌面会随后询问管理员密码），或在终端中用 `sudo cnmlab live up FILE` 构建。</translation>
    </message>
    <message>
      <source>The scenario is already up in the kernel, perhaps from an earlier session. Take it down with `sudo cnmlab live down %1` and switch Live on again.</source>
      <translation>该场景已在内核中运行，可能来自之前的会话。请用 `sudo cnmlab live down %1` 将其拆除，然后重新开启实时模式。</translation>
    </message>
    <message>
      <source>The Live helper refused the scenario.</source>
      <translation>实时辅助进程拒绝了该场景。</translation>
    </message>
    <message>
      <source>This machine cannot build it:</source>
      <translation>本机无法构建它：</translation>
    </message>
    <message>
      <source>`cnmlab live up` failed in a way it does not define (code %1).</source>
      <translation>`cnmlab live up` 以未定义的方式失败（代码 %1）。</translation>
    </message>
    <message>
      <source>Cannot run %1: %2</source>
      <translation>无法运行 %1：%2</translation>
    </message>
    <message>
      <source>The Live helper is not running.</source>
      <translation>实时辅助进程未在运行。</translation>
    </message>
    <message>
      <source>The Live helper %1 speaks version %2 of the protocol, this studio version %3: install the studio and cnmlab from one build.</source>
      <translation>实时辅助进程 %1 使用第 %2 版协议，而本工作室使用第 %3 版：请安装同一次构建的工作室与 cnmlab。</translation>
    </message>
    <message>
      <source>%1 is not a cnmlab Live helper: it said “%2”.</source>
      <translation>%1 不是 cnmlab 实时辅助进程：它输出了“%2”。</translation>
    </message>
    <message>
      <source>Permission to run the Live helper as root was not given: the authentication was dismissed or failed (pkexec exited with 126).</source>
      <translation>未获准以 root 身份运行实时辅助进程：认证被取消或失败（pkexec 以 126 退出）。</translation>
    </message>
    <message>
      <source>pkexec could not ask for permission to run the Live helper (exit 127). A desktop session runs a polkit authentication agent that asks for the password; without one, build the topology from a terminal with `sudo cnmlab live up FILE`.</source>
      <translation>pkexec 无法请求运行实时辅助进程的许可（退出码 127）。桌面会话会运行一个 polkit 认证代理来询问密码；没有它时，请在终端中用 `sudo cnmlab live up FILE` 构建拓扑。</translation>
    </message>
    <message>
      <source>sudo needs a password, and the studio has no terminal to ask for it. Install the Debian package pkexec (your desktop then asks for the password), or set SUDO_ASKPASS to a graphical password program (for example the Debian package ssh-askpass-gnome) and start the studio again.</source>
      <translation>sudo 需要密码，而工作室没有可用于询问密码的终端。请安装 Debian 软件包 pkexec（桌面会随后询问密码），或将 SUDO_ASKPASS 设为图形化的密码程序（例如 Debian 软件包 ssh-askpass-gnome），然后重新启动工作室。</translation>
    </message>
    <message>
      <source>%1 ended (exit %2) before the Live helper started.</source>
      <translation>%1 在实时辅助进程启动前就结束了（退出码 %2）。</translation>
    </message>
    <message>
      <source>%1 crashed before the Live helper started.</source>
      <translation>%1 在实时辅助进程启动前崩溃了。</translation>
    </message>
    <message>
      <source>The Live helper (pid %1) crashed.</source>
      <translation>实时辅助进程（pid %1）崩溃了。</translation>
    </message>
    <message>
      <source>The Live helper (pid %1) ended (exit %2).</source>
      <translation>实时辅助进程（pid %1）已结束（退出码 %2）。</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::MainWindow</name>
    <message>
      <source>&amp;Compare drivers…</source>
      <translation>驱动对比(&amp;C)…</translation>
    </message>
    <message>
      <source>Compare drivers: the file with its networks on bridge, macvlan, ipvlan, overlay … side by side, one ping played on two of them in step</source>
      <translation>驱动对比：把文件的网络分别换成 bridge、macvlan、ipvlan、overlay……并排比较，并在其中两个上同步播放同一次 ping</translation>
    </message>
    <message>
      <source>Open a scenario (a Compose file) or start from a template</source>
      <translation>打开一个场景（Compose 文件），或从模板开始</translation>
    </message>
    <message>
      <source>Probes (%1 failed)</source>
      <translation>探测（%1 个失败）</translation>
    </message>
    <message>
      <source>Probes (%1 passed)</source>
      <translation>探测（%1 个通过）</translation>
    </message>
    <message>
      <source>Probes</source>
      <translation>探测</translation>
    </message>
    <message>
      <source>Playing %1: %2</source>
      <translation>正在播放 %1：%2</translation>
    </message>
    <message>
      <source>reachable</source>
      <translation>可达</translation>
    </message>
    <message>
      <source>unreachable</source>
      <translation>不可达</translation>
    </message>
    <message>
      <source>Cannot open scenario</source>
      <translation>无法打开场景</translation>
    </message>
    <message>
      <source>cnmlab cannot open %1.</source>
      <translation>cnmlab 无法打开 %1。</translation>
    </message>
    <message>
      <source>Scenario has an error</source>
      <translation>场景有错误</translation>
    </message>
    <message>
      <source>%1 was opened, but Docker would reject it. The object at fault is marked on the canvas; fix it in the inspector.</source>
      <translation>%1 已打开，但 Docker 会拒绝它。出错的对象已在画布上标出，请在属性面板中修正。</translation>
    </message>
    <message>
      <source>Opened %1 in %2 ms</source>
      <translation>已打开 %1，用时 %2 毫秒</translation>
    </message>
    <message>
      <source>%1[*] — cnmlab studio</source>
      <translation>%1[*] — cnmlab 工作室</translation>
    </message>
    <message>
      <source>valid</source>
      <translation>有效</translation>
    </message>
    <message>
      <source>cannot simulate</source>
      <translation>无法模拟</translation>
    </message>
    <message>
      <source>invalid</source>
      <translation>无效</translation>
    </message>
    <message numerus="yes">
      <source>%n host(s)</source>
      <translation>
        <numerusform>%n 台主机</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n network(s)</source>
      <translation>
        <numerusform>%n 个网络</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n container(s)</source>
      <translation>
        <numerusform>%n 个容器</numerusform>
      </translation>
    </message>
    <message>
      <source>zoom %1%</source>
      <translation>缩放 %1%</translation>
    </message>
    <message>
      <source>untitled</source>
      <translation>未命名</translation>
    </message>
    <message>
      <source>Template is invalid</source>
      <translation>模板无效</translation>
    </message>
    <message>
      <source>New scenario from a template</source>
      <translation>已从模板新建场景</translation>
    </message>
    <message>
      <source>Open scenario</source>
      <translation>打开场景</translation>
    </message>
    <message>
      <source>Compose files (*.yaml *.yml);;All files (*)</source>
      <translation>Compose 文件 (*.yaml *.yml);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Saved %1</source>
      <translation>已保存 %1</translation>
    </message>
    <message>
      <source>Cannot save</source>
      <translation>无法保存</translation>
    </message>
    <message>
      <source>Save scenario as</source>
      <translation>场景另存为</translation>
    </message>
    <message>
      <source>Compose files (*.yaml *.yml)</source>
      <translation>Compose 文件 (*.yaml *.yml)</translation>
    </message>
    <message>
      <source>Unsaved changes</source>
      <translation>未保存的更改</translation>
    </message>
    <message>
      <source>%1 has unsaved changes. Save them before continuing?</source>
      <translation>%1 有未保存的更改。继续之前要保存吗？</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
    <message>
      <source>Discard</source>
      <translation>不保存</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>No recent files</source>
      <translation>没有最近的文件</translation>
    </message>
    <message>
      <source>Clear list</source>
      <translation>清空列表</translation>
    </message>
    <message>
      <source>Export canvas</source>
      <translation>导出画布</translation>
    </message>
    <message>
      <source>PNG image (*.png);;SVG drawing (*.svg)</source>
      <translation>PNG 图片 (*.png);;SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
      <source>Cannot export</source>
      <translation>无法导出</translation>
    </message>
    <message>
      <source>Cannot write %1</source>
      <translation>无法写入 %1</translation>
    </message>
    <message>
      <source>Exported %1</source>
      <translation>已导出 %1</translation>
    </message>
    <message>
      <source>About cnmlab studio</source>
      <translation>关于 cnmlab 工作室</translation>
    </message>
    <message>
      <source>&lt;h3&gt;cnmlab studio&lt;/h3&gt;&lt;p&gt;Draw Docker networks, watch packets cross each driver's data plane, and see what Docker builds in the kernel.&lt;/p&gt;&lt;p&gt;Docker Engine 20.10 semantics.&lt;/p&gt;</source>
      <translation>&lt;h3&gt;cnmlab 工作室&lt;/h3&gt;&lt;p&gt;绘制 Docker 网络，观察数据包穿过各驱动的数据平面，查看 Docker 在内核中实际创建的对象。&lt;/p&gt;&lt;p&gt;遵循 Docker Engine 20.10 的语义。&lt;/p&gt;</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>New from &amp;template</source>
      <translation>从模板新建(&amp;T)</translation>
    </message>
    <message>
      <source>&amp;Edit</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>&amp;Arrange</source>
      <translation>排列(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <source>&amp;Language</source>
      <translation>语言(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;System language</source>
      <translation>跟随系统语言(&amp;S)</translation>
    </message>
    <message>
      <source>Open &amp;recent</source>
      <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
      <source>Main toolbar</source>
      <translation>主工具栏</translation>
    </message>
    <message>
      <source>Palette</source>
      <translation>组件</translation>
    </message>
    <message>
      <source>Inspector</source>
      <translation>属性</translation>
    </message>
    <message>
      <source>Lesson</source>
      <translation>课程</translation>
    </message>
    <message>
      <source>Events</source>
      <translation>事件</translation>
    </message>
    <message>
      <source>Packet</source>
      <translation>数据包</translation>
    </message>
    <message>
      <source>Reachability</source>
      <translation>可达性</translation>
    </message>
    <message>
      <source>Plan</source>
      <translation>内核对象</translation>
    </message>
    <message>
      <source>&amp;New</source>
      <translation>新建(&amp;N)</translation>
    </message>
    <message>
      <source>New scenario from the web-and-database template</source>
      <translation>用“Web 与数据库”模板新建场景</translation>
    </message>
    <message>
      <source>&amp;Open…</source>
      <translation>打开(&amp;O)…</translation>
    </message>
    <message>
      <source>&amp;Save</source>
      <translation>保存(&amp;S)</translation>
    </message>
    <message>
      <source>Save &amp;as…</source>
      <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
      <source>&amp;Export canvas…</source>
      <translation>导出画布(&amp;E)…</translation>
    </message>
    <message>
      <source>Export the canvas as PNG or SVG</source>
      <translation>将画布导出为 PNG 或 SVG</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;Undo</source>
      <translation>撤销(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Redo</source>
      <translation>重做(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Delete</source>
      <translation>删除(&amp;D)</translation>
    </message>
    <message>
      <source>Delete the selection</source>
      <translation>删除所选对象</translation>
    </message>
    <message>
      <source>Select &amp;all</source>
      <translation>全选(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Connect mode</source>
      <translation>连接模式(&amp;C)</translation>
    </message>
    <message>
      <source>Connect mode: drag from a container to a network to connect them</source>
      <translation>连接模式：从容器拖到网络即可连接</translation>
    </message>
    <message>
      <source>Zoom &amp;in</source>
      <translation>放大(&amp;I)</translation>
    </message>
    <message>
      <source>Zoom &amp;out</source>
      <translation>缩小(&amp;O)</translation>
    </message>
    <message>
      <source>&amp;Actual size</source>
      <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Fit to window</source>
      <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
      <source>Arrange in &amp;bands</source>
      <translation>按主机分栏排列(&amp;B)</translation>
    </message>
    <message>
      <source>Lay the canvas out again (hosts as bands)</source>
      <translation>重新排列画布（每台主机一栏）</translation>
    </message>
    <message>
      <source>Arrange with &amp;springs (Kamada–Kawai)</source>
      <translation>弹簧布局排列（Kamada–Kawai）(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Dark theme</source>
      <translation>深色主题(&amp;D)</translation>
    </message>
    <message>
      <source>&amp;Presentation mode</source>
      <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
      <source>Presentation mode: text, icons, the canvas and the host view half again as large, for a projector</source>
      <translation>演示模式：文字、图标、画布和主机视图放大一半，适合投影</translation>
    </message>
    <message>
      <source>&amp;About cnmlab studio</source>
      <translation>关于 cnmlab 工作室(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Blank (one host)</source>
      <translation>空白（一台主机）(&amp;B)</translation>
    </message>
    <message>
      <source>&amp;Web, API and database (two bridges)</source>
      <translation>Web、API 与数据库（两个网桥）(&amp;W)</translation>
    </message>
    <message>
      <source>&amp;Two hosts on a LAN</source>
      <translation>局域网上的两台主机(&amp;T)</translation>
    </message>
    <message>
      <source>The Chinese translation could not be loaded</source>
      <translation>无法加载中文翻译</translation>
    </message>
    <message>
      <source>Presentation mode: press F5 to leave it</source>
      <translation>演示模式：按 F5 退出</translation>
    </message>
    <message>
      <source>Presentation mode off</source>
      <translation>已退出演示模式</translation>
    </message>
    <message>
      <source>Nudge</source>
      <translation>微移</translation>
    </message>
    <message>
      <source>Arrange with springs</source>
      <translation>弹簧布局排列</translation>
    </message>
    <message>
      <source>Arrange in bands</source>
      <translation>按主机分栏排列</translation>
    </message>
    <message>
      <source>&amp;Undo %1</source>
      <translation>撤销“%1”(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Redo %1</source>
      <translation>重做“%1”(&amp;R)</translation>
    </message>
    <message>
      <source>Ping %1 from %2</source>
      <translation>从 %2 ping %1</translation>
    </message>
    <message>
      <source>Send probes from %1</source>
      <translation>从 %1 发送探测</translation>
    </message>
    <message>
      <source>Show in the inspector</source>
      <translation>在属性面板中显示</translation>
    </message>
    <message>
      <source>Show what Docker creates</source>
      <translation>显示 Docker 实际创建的内容</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Disconnect %1 from %2</source>
      <translation>将 %1 从 %2 断开</translation>
    </message>
    <message>
      <source>Add a container here</source>
      <translation>在此添加容器</translation>
    </message>
    <message>
      <source>Add a bridge network here</source>
      <translation>在此添加 bridge 网络</translation>
    </message>
    <message>
      <source>Fit to window</source>
      <translation>适应窗口</translation>
    </message>
    <message>
      <source>Open host %1</source>
      <translation>打开主机 %1</translation>
    </message>
    <message>
      <source>Topology</source>
      <translation>拓扑</translation>
    </message>
    <message>
      <source>Host %1</source>
      <translation>主机 %1</translation>
    </message>
    <message>
      <source>checking…</source>
      <translation>检查中…</translation>
    </message>
    <message>
      <source>Switching Live off before closing…</source>
      <translation>关闭窗口前正在关闭实时模式…</translation>
    </message>
    <message>
      <source>Undone: %1</source>
      <translation>已撤销：%1</translation>
    </message>
    <message>
      <source>Redone: %1</source>
      <translation>已重做：%1</translation>
    </message>
    <message>
      <source>Added %1 on %2</source>
      <translation>已在 %2 上添加 %1</translation>
    </message>
    <message>
      <source>Li&amp;ve</source>
      <translation>实时(&amp;V)</translation>
    </message>
    <message>
      <source>Live</source>
      <translation>实时</translation>
    </message>
    <message>
      <source>Send the &amp;matrix again</source>
      <translation>重新发送矩阵(&amp;M)</translation>
    </message>
    <message>
      <source>Send every probe of the reachability matrix in the kernel again</source>
      <translation>在内核中重新发送可达性矩阵的每个探测</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::NetworkForm</name>
    <message>
      <source>Network</source>
      <translation>网络</translation>
    </message>
    <message>
      <source>The network's key under networks:</source>
      <translation>网络在 networks: 下的键名</translation>
    </message>
    <message>
      <source>Docker name</source>
      <translation>Docker 名称</translation>
    </message>
    <message>
      <source>name: (default: PROJECT_KEY)</source>
      <translation>name:（默认：项目名_键名）</translation>
    </message>
    <message>
      <source>Driver</source>
      <translation>驱动</translation>
    </message>
    <message>
      <source>driver: bridge, macvlan, ipvlan, or the plugins weave, kuryr and contiv (calico also needs ipam: {driver: calico})</source>
      <translation>driver：bridge、macvlan、ipvlan，或插件 weave、kuryr 和 contiv（calico 还需要 ipam: {driver: calico}）</translation>
    </message>
    <message>
      <source>Addresses (IPAM)</source>
      <translation>地址（IPAM）</translation>
    </message>
    <message>
      <source>Subnet</source>
      <translation>子网</translation>
    </message>
    <message>
      <source>ipam.config[0].subnet, e.g. 10.20.0.0/24</source>
      <translation>ipam.config[0].subnet，例如 10.20.0.0/24</translation>
    </message>
    <message>
      <source>Gateway</source>
      <translation>网关</translation>
    </message>
    <message>
      <source>ipam.config[0].gateway</source>
      <translation>ipam.config[0].gateway</translation>
    </message>
    <message>
      <source>IP range</source>
      <translation>IP 范围</translation>
    </message>
    <message>
      <source>ipam.config[0].ip_range: where dynamic addresses come from</source>
      <translation>ipam.config[0].ip_range：动态地址的分配范围</translation>
    </message>
    <message>
      <source>Options</source>
      <translation>选项</translation>
    </message>
    <message>
      <source>Internal</source>
      <translation>内部</translation>
    </message>
    <message>
      <source>internal: no route to or from the outside world</source>
      <translation>internal：不与外部世界互通</translation>
    </message>
    <message>
      <source>Attachable</source>
      <translation>可附加</translation>
    </message>
    <message>
      <source>attachable: standalone containers may join (overlay)</source>
      <translation>attachable：允许独立容器加入（overlay）</translation>
    </message>
    <message>
      <source>External</source>
      <translation>外部</translation>
    </message>
    <message>
      <source>external: created outside Compose; keeps its own name</source>
      <translation>external：在 Compose 之外创建，保留自己的名称</translation>
    </message>
    <message>
      <source>What Docker creates</source>
      <translation>Docker 实际创建的内容</translation>
    </message>
    <message>
      <source>driver_opts key</source>
      <translation>driver_opts 键</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>值</translation>
    </message>
    <message>
      <source>%1 (chosen by Docker)</source>
      <translation>%1（由 Docker 选择）</translation>
    </message>
    <message>
      <source>Docker network &lt;b&gt;%1&lt;/b&gt; (%2, scope %3)</source>
      <translation>Docker 网络 &lt;b&gt;%1&lt;/b&gt;（%2，作用域 %3）</translation>
    </message>
    <message>
      <source>id %1…</source>
      <translation>ID %1…</translation>
    </message>
    <message>
      <source>subnet &lt;b&gt;%1&lt;/b&gt;</source>
      <translation>子网 &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
      <source>gateway &lt;b&gt;%1&lt;/b&gt;</source>
      <translation>网关 &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
      <source>on %1</source>
      <translation>位于 %1</translation>
    </message>
    <message>
      <source>Fix the error above to see what Docker would create.</source>
      <translation>修正上面的错误后即可查看 Docker 会创建的内容。</translation>
    </message>
    <message>
      <source>Docker creates this network itself; it cannot be edited.</source>
      <translation>此网络由 Docker 自行创建，不能编辑。</translation>
    </message>
    <message>
      <source>Remove option %1</source>
      <translation>删除选项 %1</translation>
    </message>
    <message>
      <source>Add a driver option…</source>
      <translation>添加驱动选项…</translation>
    </message>
    <message>
      <source>Set name of %1</source>
      <translation>设置 %1 的名称</translation>
    </message>
    <message>
      <source>Set driver of %1 to %2</source>
      <translation>将 %1 的驱动设为 %2</translation>
    </message>
    <message>
      <source>Set addresses of %1</source>
      <translation>设置 %1 的地址</translation>
    </message>
    <message>
      <source>Set options of %1</source>
      <translation>设置 %1 的选项</translation>
    </message>
    <message>
      <source>Set option %1</source>
      <translation>设置选项 %1</translation>
    </message>
    <message>
      <source>Add option %1</source>
      <translation>添加选项 %1</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::PacketInspector</name>
    <message>
      <source>Field</source>
      <translation>字段</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>值</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::PacketListModel</name>
    <message>
      <source>No.</source>
      <translation>序号</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Where</source>
      <translation>位置</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>源</translation>
    </message>
    <message>
      <source>Destination</source>
      <translation>目的</translation>
    </message>
    <message>
      <source>Protocol</source>
      <translation>协议</translation>
    </message>
    <message>
      <source>Length</source>
      <translation>长度</translation>
    </message>
    <message>
      <source>Info</source>
      <translation>信息</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::PaletteWidget</name>
    <message>
      <source>overlay: one network across the hosts (a swarm), VXLAN between them</source>
      <translation>overlay：跨越多台主机（swarm）的同一个网络，主机之间使用 VXLAN</translation>
    </message>
    <message>
      <source>Add</source>
      <translation>添加</translation>
    </message>
    <message>
      <source>Networks</source>
      <translation>网络</translation>
    </message>
    <message>
      <source>Machines</source>
      <translation>机器</translation>
    </message>
    <message>
      <source>Container</source>
      <translation>容器</translation>
    </message>
    <message>
      <source>A Compose service: one container with its own network namespace</source>
      <translation>Compose 服务：一个拥有独立网络命名空间的容器</translation>
    </message>
    <message>
      <source>Docker host</source>
      <translation>Docker 主机</translation>
    </message>
    <message>
      <source>Another machine running dockerd, on the same LAN</source>
      <translation>同一局域网上另一台运行 dockerd 的机器</translation>
    </message>
    <message>
      <source>Laptop</source>
      <translation>笔记本</translation>
    </message>
    <message>
      <source>A machine on the hosts' LAN that is not a Docker host</source>
      <translation>主机所在局域网上的一台非 Docker 主机的机器</translation>
    </message>
    <message>
      <source>Internet</source>
      <translation>互联网</translation>
    </message>
    <message>
      <source>An address beyond the LAN's router</source>
      <translation>局域网路由器之外的一个地址</translation>
    </message>
    <message>
      <source>bridge: a Linux bridge on one host, NAT to the outside</source>
      <translation>bridge：单台主机上的 Linux 网桥，经 NAT 访问外部</translation>
    </message>
    <message>
      <source>macvlan: containers appear on the LAN with their own MAC</source>
      <translation>macvlan：容器以自己的 MAC 地址出现在局域网上</translation>
    </message>
    <message>
      <source>ipvlan: containers share the parent's MAC, own IP addresses</source>
      <translation>ipvlan：容器共享父接口的 MAC，拥有各自的 IP 地址</translation>
    </message>
    <message>
      <source>overlay: one network across hosts, VXLAN between them</source>
      <translation>overlay：跨主机的单一网络，主机之间使用 VXLAN</translation>
    </message>
    <message>
      <source>Drag onto the canvas, or click to add</source>
      <translation>拖到画布上，或点击添加</translation>
    </message>
    <message>
      <source>Drag a tile onto the canvas. To connect a container to a network, drag from the dot under the container (or Shift+drag) onto the network.</source>
      <translation>把图块拖到画布上。要把容器连到网络，从容器下方的圆点拖到网络上（或按住 Shift 拖动）。</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::PlanView</name>
    <message>
      <source>swarm load balancer</source>
      <translation>swarm 负载均衡器</translation>
    </message>
    <message>
      <source>Everything (hosts, LAN, externals)</source>
      <translation>全部（主机、局域网、外部机器）</translation>
    </message>
    <message>
      <source>Docker would not create this scenario:
%1</source>
      <translation>Docker 不会创建这个场景：
%1</translation>
    </message>
    <message>
      <source>Docker host</source>
      <translation>Docker 主机</translation>
    </message>
    <message>
      <source>sandbox of %1</source>
      <translation>%1 的沙箱</translation>
    </message>
    <message>
      <source>physical LAN</source>
      <translation>物理局域网</translation>
    </message>
    <message>
      <source>external machine</source>
      <translation>外部机器</translation>
    </message>
    <message>
      <source>router</source>
      <translation>路由器</translation>
    </message>
    <message>
      <source>overlay namespace</source>
      <translation>overlay 命名空间</translation>
    </message>
    <message>
      <source>sysctl</source>
      <translation>sysctl</translation>
    </message>
    <message>
      <source>Links</source>
      <translation>网络设备</translation>
    </message>
    <message>
      <source>Addresses</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Routes</source>
      <translation>路由</translation>
    </message>
    <message>
      <source>Neighbours</source>
      <translation>邻居表项</translation>
    </message>
    <message>
      <source>FDB</source>
      <translation>转发表（FDB）</translation>
    </message>
    <message>
      <source>iptables chains</source>
      <translation>iptables 链</translation>
    </message>
    <message>
      <source>iptables rules</source>
      <translation>iptables 规则</translation>
    </message>
    <message>
      <source>Embedded DNS</source>
      <translation>内嵌 DNS</translation>
    </message>
    <message>
      <source>Listening</source>
      <translation>监听</translation>
    </message>
    <message>
      <source>Object</source>
      <translation>对象</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Script</source>
      <translation>脚本</translation>
    </message>
    <message>
      <source>Show the whole host as the commands that build it (ip, iptables-save)</source>
      <translation>以构建命令（ip、iptables-save）显示整台主机</translation>
    </message>
    <message>
      <source>Filter: a namespace, a device, an address, a chain…</source>
      <translation>筛选：命名空间、设备、地址、链…</translation>
    </message>
    <message>
      <source>The Docker host whose kernel objects are shown</source>
      <translation>显示哪台 Docker 主机的内核对象</translation>
    </message>
    <message>
      <source>The Plan could not be listed: %1</source>
      <translation>无法列出该 Plan：%1</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::ProbesPanel</name>
    <message>
      <source>reachable</source>
      <translation>可达</translation>
    </message>
    <message>
      <source>unreachable</source>
      <translation>不可达</translation>
    </message>
    <message>
      <source>nxdomain</source>
      <translation>NXDOMAIN（无此名称）</translation>
    </message>
    <message>
      <source>This scenario has no x-probes.</source>
      <translation>此场景没有 x-probes。</translation>
    </message>
    <message>
      <source>Cannot check: %1</source>
      <translation>无法检查：%1</translation>
    </message>
    <message>
      <source>pass</source>
      <translation>通过</translation>
    </message>
    <message>
      <source>FAIL</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>&lt;span style='color:%1'&gt;&lt;b&gt;%2 passed&lt;/b&gt;&lt;/span&gt;, &lt;span style='color:%3'&gt;&lt;b&gt;%4 failed&lt;/b&gt;&lt;/span&gt; — as &lt;code&gt;cnmlab check&lt;/code&gt;. Click a probe to play it.</source>
      <translation>&lt;span style='color:%1'&gt;&lt;b&gt;%2 个通过&lt;/b&gt;&lt;/span&gt;，&lt;span style='color:%3'&gt;&lt;b&gt;%4 个失败&lt;/b&gt;&lt;/span&gt;——与 &lt;code&gt;cnmlab check&lt;/code&gt; 相同。点击某个探测即可播放。</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>Probe</source>
      <translation>探测</translation>
    </message>
    <message>
      <source>Expect</source>
      <translation>期望</translation>
    </message>
    <message>
      <source>Got</source>
      <translation>实际</translation>
    </message>
    <message>
      <source>Why</source>
      <translation>原因</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::ProjectForm</name>
    <message>
      <source>Project</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>name: the Compose project; networks are PROJECT_KEY and containers PROJECT-SERVICE-1</source>
      <translation>name：Compose 项目名；网络名为 项目名_键名，容器名为 项目名-服务名-1</translation>
    </message>
    <message>
      <source>Select an object on the canvas to edit it.</source>
      <translation>在画布上选择一个对象即可编辑。</translation>
    </message>
    <message numerus="yes">
      <source>%n host(s)</source>
      <translation>
        <numerusform>%n 台主机</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n network(s)</source>
      <translation>
        <numerusform>%n 个网络</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n container(s)</source>
      <translation>
        <numerusform>%n 个容器</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n probe(s)</source>
      <translation>
        <numerusform>%n 个探测</numerusform>
      </translation>
    </message>
    <message>
      <source>&lt;b&gt;Tips&lt;/b&gt;&lt;br&gt;• Drag tiles from the palette onto the canvas.&lt;br&gt;• Drag from the dot under a container onto a network to connect them.&lt;br&gt;• Delete removes the selection; Ctrl+Z undoes.&lt;br&gt;• Ctrl+0 fits the canvas to the window.</source>
      <translation>&lt;b&gt;提示&lt;/b&gt;&lt;br&gt;• 从组件面板把图块拖到画布上。&lt;br&gt;• 从容器下方的圆点拖到网络上即可连接。&lt;br&gt;• Delete 删除所选对象；Ctrl+Z 撤销。&lt;br&gt;• Ctrl+0 使画布适应窗口。</translation>
    </message>
    <message>
      <source>Rename project to %1</source>
      <translation>将项目重命名为 %1</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::ReachPanel</name>
    <message>
      <source>Cannot simulate: %1</source>
      <translation>无法模拟：%1</translation>
    </message>
    <message>
      <source>Computing the matrix on a worker thread…</source>
      <translation>正在后台线程中计算矩阵…</translation>
    </message>
    <message>
      <source>%1 probes: &lt;span style='color:%2'&gt;&lt;b&gt;%3 reachable&lt;/b&gt;&lt;/span&gt;, &lt;span style='color:%4'&gt;&lt;b&gt;%5 unreachable&lt;/b&gt;&lt;/span&gt;. Rows send, columns answer; click a cell to play its probe.</source>
      <translation>共 %1 个探测：&lt;span style='color:%2'&gt;&lt;b&gt;%3 个可达&lt;/b&gt;&lt;/span&gt;，&lt;span style='color:%4'&gt;&lt;b&gt;%5 个不可达&lt;/b&gt;&lt;/span&gt;。行为发送方，列为应答方；点击单元格即可播放该探测。</translation>
    </message>
    <message>
      <source>From every container, host and external: ICMP to every address and TCP/UDP to every listening port, as &lt;code&gt;cnmlab reach&lt;/code&gt;.</source>
      <translation>从每个容器、主机和外部机器出发：向每个地址发送 ICMP，向每个监听端口发起 TCP/UDP，与 &lt;code&gt;cnmlab reach&lt;/code&gt; 相同。</translation>
    </message>
    <message>
      <source>Compute</source>
      <translation>计算</translation>
    </message>
    <message>
      <source>the kernel agrees on all of them</source>
      <translation>内核全部一致</translation>
    </message>
    <message numerus="yes">
      <source>the kernel disagrees on %n</source>
      <translation>
        <numerusform>内核有 %n 个不一致</numerusform>
      </translation>
    </message>
    <message>
      <source>&lt;b&gt;Live&lt;/b&gt;: %1 probes sent in the kernel and in the simulation; %2. Rows send, columns answer; hover a cell for both answers.</source>
      <translation>&lt;b&gt;实时&lt;/b&gt;：在内核和模拟中各发送了 %1 个探测；%2。行为发送方，列为应答方；鼠标悬停在单元格上可查看两个回答。</translation>
    </message>
    <message>
      <source>both reachable</source>
      <translation>两者都可达</translation>
    </message>
    <message>
      <source>both unreachable</source>
      <translation>两者都不可达</translation>
    </message>
    <message>
      <source>kernel ≠ simulation</source>
      <translation>内核 ≠ 模拟</translation>
    </message>
    <message>
      <source>The matrix could not be computed: %1</source>
      <translation>无法计算该矩阵：%1</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::ScenarioDocument</name>
    <message>
      <source>untitled</source>
      <translation>未命名</translation>
    </message>
    <message>
      <source>the check of this edit failed: %1</source>
      <translation>此次编辑的检查失败了：%1</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::ServiceForm</name>
    <message>
      <source>Swarm (deploy:)</source>
      <translation>Swarm（deploy:）</translation>
    </message>
    <message>
      <source>Runs as</source>
      <translation>运行方式</translation>
    </message>
    <message>
      <source>deploy: a plain container (docker run), or a swarm service as docker stack deploy makes it, replicated or global</source>
      <translation>deploy:：普通容器（docker run），或像 docker stack deploy 那样创建的 swarm 服务（replicated 或 global）</translation>
    </message>
    <message>
      <source>Replicas</source>
      <translation>副本数</translation>
    </message>
    <message>
      <source>deploy.replicas: the tasks of a replicated service (0-1000)</source>
      <translation>deploy.replicas：replicated 服务的任务数（0-1000）</translation>
    </message>
    <message>
      <source>Endpoint mode</source>
      <translation>端点模式</translation>
    </message>
    <message>
      <source>deploy.endpoint_mode: vip (a virtual IP, balanced by IPVS) or dnsrr (the embedded DNS answers with every task)</source>
      <translation>deploy.endpoint_mode：vip（虚拟 IP，由 IPVS 负载均衡）或 dnsrr（内嵌 DNS 用每个任务的地址作答）</translation>
    </message>
    <message>
      <source>Constraints</source>
      <translation>约束</translation>
    </message>
    <message>
      <source>deploy.placement.constraints, comma separated, e.g. node.hostname == host2, node.role == worker</source>
      <translation>deploy.placement.constraints，以逗号分隔，例如 node.hostname == host2, node.role == worker</translation>
    </message>
    <message>
      <source>a container (docker run)</source>
      <translation>容器（docker run）</translation>
    </message>
    <message>
      <source>a swarm service, replicated</source>
      <translation>swarm 服务，replicated</translation>
    </message>
    <message>
      <source>a swarm service, global</source>
      <translation>swarm 服务，global</translation>
    </message>
    <message>
      <source>vip — a virtual IP, IPVS</source>
      <translation>vip — 虚拟 IP，IPVS</translation>
    </message>
    <message>
      <source>dnsrr — DNS round robin</source>
      <translation>dnsrr — DNS 轮询</translation>
    </message>
    <message>
      <source>Run %1 as a plain container</source>
      <translation>把 %1 作为普通容器运行</translation>
    </message>
    <message>
      <source>replicas are a number from 0 to 1000</source>
      <translation>副本数是 0 到 1000 之间的数字</translation>
    </message>
    <message>
      <source>&apos;%1&apos; is not a constraint such as node.hostname == host2 or node.role == worker</source>
      <translation>“%1”不是约束，约束形如 node.hostname == host2 或 node.role == worker</translation>
    </message>
    <message>
      <source>Make %1 a swarm service</source>
      <translation>把 %1 变为 swarm 服务</translation>
    </message>
    <message>
      <source>Set the swarm service %1</source>
      <translation>设置 swarm 服务 %1</translation>
    </message>
    <message>
      <source>placed by the swarm</source>
      <translation>由 swarm 调度</translation>
    </message>
    <message>
      <source>%1_%2.SLOT (the swarm's)</source>
      <translation>%1_%2.SLOT（由 swarm 命名）</translation>
    </message>
    <message>
      <source>Swarm service &lt;b&gt;%1&lt;/b&gt;: %2, endpoint mode %3</source>
      <translation>swarm 服务 &lt;b&gt;%1&lt;/b&gt;：%2，端点模式 %3</translation>
    </message>
    <message>
      <source>global, %1 task(s)</source>
      <translation>global，%1 个任务</translation>
    </message>
    <message>
      <source>%1 replica(s)</source>
      <translation>%1 个副本</translation>
    </message>
    <message>
      <source>VIP &lt;b&gt;%1/%2&lt;/b&gt; on %3</source>
      <translation>%3 上的 VIP &lt;b&gt;%1/%2&lt;/b&gt;</translation>
    </message>
    <message>
      <source>task &lt;b&gt;%1&lt;/b&gt; on %2: %3</source>
      <translation>任务 &lt;b&gt;%1&lt;/b&gt; 位于 %2：%3</translation>
    </message>
    <message>
      <source>Service</source>
      <translation>服务</translation>
    </message>
    <message>
      <source>The service's key under services:</source>
      <translation>服务在 services: 下的键名</translation>
    </message>
    <message>
      <source>Image</source>
      <translation>镜像</translation>
    </message>
    <message>
      <source>image: (kept in the file; cnmlab ignores it)</source>
      <translation>image:（保留在文件中；cnmlab 不使用它）</translation>
    </message>
    <message>
      <source>Container name</source>
      <translation>容器名</translation>
    </message>
    <message>
      <source>container_name: (default: PROJECT-SERVICE-1)</source>
      <translation>container_name:（默认：项目名-服务名-1）</translation>
    </message>
    <message>
      <source>Docker host</source>
      <translation>Docker 主机</translation>
    </message>
    <message>
      <source>x-host: the host the container runs on</source>
      <translation>x-host：容器运行所在的主机</translation>
    </message>
    <message>
      <source>Network mode</source>
      <translation>网络模式</translation>
    </message>
    <message>
      <source>network_mode: networks (the default), bridge (docker0), host, none, or another service's namespace</source>
      <translation>network_mode：networks（默认）、bridge（docker0）、host、none，或另一个服务的命名空间</translation>
    </message>
    <message>
      <source>Networks</source>
      <translation>网络</translation>
    </message>
    <message>
      <source>Ports</source>
      <translation>端口</translation>
    </message>
    <message>
      <source>Published</source>
      <translation>发布端口</translation>
    </message>
    <message>
      <source>ports: HOST:CONTAINER[/udp], comma separated, e.g. 8080:80</source>
      <translation>ports：主机端口:容器端口[/udp]，用逗号分隔，例如 8080:80</translation>
    </message>
    <message>
      <source>Expose</source>
      <translation>暴露端口</translation>
    </message>
    <message>
      <source>expose: container ports, e.g. 5432</source>
      <translation>expose：容器端口，例如 5432</translation>
    </message>
    <message>
      <source>Listening</source>
      <translation>监听</translation>
    </message>
    <message>
      <source>x-listen: ports a process listens on, e.g. 80/tcp, 53/udp</source>
      <translation>x-listen：进程监听的端口，例如 80/tcp, 53/udp</translation>
    </message>
    <message>
      <source>What Docker creates</source>
      <translation>Docker 实际创建的内容</translation>
    </message>
    <message>
      <source>Network</source>
      <translation>网络</translation>
    </message>
    <message>
      <source>Aliases</source>
      <translation>别名</translation>
    </message>
    <message>
      <source>IPv4 address</source>
      <translation>IPv4 地址</translation>
    </message>
    <message>
      <source>networks (default)</source>
      <translation>networks（默认）</translation>
    </message>
    <message>
      <source>bridge — docker0</source>
      <translation>bridge — docker0</translation>
    </message>
    <message>
      <source>host — the host's stack</source>
      <translation>host — 使用主机的网络栈</translation>
    </message>
    <message>
      <source>none — loopback only</source>
      <translation>none — 仅回环接口</translation>
    </message>
    <message>
      <source>service:%1 — share its namespace</source>
      <translation>service:%1 — 共享其命名空间</translation>
    </message>
    <message>
      <source>Container &lt;b&gt;%1&lt;/b&gt; on %2</source>
      <translation>容器 &lt;b&gt;%1&lt;/b&gt;，位于 %2</translation>
    </message>
    <message>
      <source>shares the network namespace of %1</source>
      <translation>共享 %1 的网络命名空间</translation>
    </message>
    <message>
      <source>only a loopback interface</source>
      <translation>只有回环接口</translation>
    </message>
    <message>
      <source>Fix the error above to see the addresses Docker would assign.</source>
      <translation>修正上面的错误后即可查看 Docker 会分配的地址。</translation>
    </message>
    <message>
      <source>aliases: extra DNS names on this network, comma separated</source>
      <translation>aliases：在此网络上的额外 DNS 名称，用逗号分隔</translation>
    </message>
    <message>
      <source>ipv4_address: a static address inside the network's subnet</source>
      <translation>ipv4_address：网络子网内的静态地址</translation>
    </message>
    <message>
      <source>Disconnect from %1</source>
      <translation>从 %1 断开</translation>
    </message>
    <message>
      <source>Connect to a network…</source>
      <translation>连接到网络…</translation>
    </message>
    <message>
      <source>bridge (docker0)</source>
      <translation>bridge（docker0）</translation>
    </message>
    <message>
      <source>Set image of %1</source>
      <translation>设置 %1 的镜像</translation>
    </message>
    <message>
      <source>Set container name of %1</source>
      <translation>设置 %1 的容器名</translation>
    </message>
    <message>
      <source>Move %1 to %2</source>
      <translation>将 %1 移到 %2</translation>
    </message>
    <message>
      <source>Set network mode of %1</source>
      <translation>设置 %1 的网络模式</translation>
    </message>
    <message>
      <source>Set ports of %1</source>
      <translation>设置 %1 的发布端口</translation>
    </message>
    <message>
      <source>Set exposed ports of %1</source>
      <translation>设置 %1 的暴露端口</translation>
    </message>
    <message>
      <source>Set listening ports of %1</source>
      <translation>设置 %1 的监听端口</translation>
    </message>
    <message>
      <source>Set aliases of %1 on %2</source>
      <translation>设置 %1 在 %2 上的别名</translation>
    </message>
    <message>
      <source>Set address of %1 on %2</source>
      <translation>设置 %1 在 %2 上的地址</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::SimulationBar</name>
    <message>
      <source>reachable</source>
      <translation>可达</translation>
    </message>
    <message>
      <source>unreachable</source>
      <translation>不可达</translation>
    </message>
    <message>
      <source>The file's probes…</source>
      <translation>文件中的探测…</translation>
    </message>
    <message>
      <source>Probe</source>
      <translation>探测</translation>
    </message>
    <message>
      <source>Source: a container, a Docker host or an external machine</source>
      <translation>源：容器、Docker 主机或外部机器</translation>
    </message>
    <message>
      <source>Destination: a name or an IPv4 address (for DNS: the name to resolve)</source>
      <translation>目标：名称或 IPv4 地址（DNS 时为要解析的名称）</translation>
    </message>
    <message>
      <source>Protocol: ICMP echo, TCP connect, UDP, or a lookup in Docker's embedded DNS</source>
      <translation>协议：ICMP 回显、TCP 连接、UDP，或在 Docker 内嵌 DNS 中查询</translation>
    </message>
    <message>
      <source>Destination port (TCP and UDP)</source>
      <translation>目标端口（TCP 和 UDP）</translation>
    </message>
    <message>
      <source>Send</source>
      <translation>发送</translation>
    </message>
    <message>
      <source>Send the probe and animate it hop by hop (Ctrl+Return)</source>
      <translation>发送探测并逐跳播放动画（Ctrl+Return）</translation>
    </message>
    <message>
      <source>Play one of the scenario's x-probes</source>
      <translation>播放场景中的某个 x-probe</translation>
    </message>
    <message>
      <source>To start (Home)</source>
      <translation>回到开头（Home）</translation>
    </message>
    <message>
      <source>Step back ([)</source>
      <translation>后退一步（[）</translation>
    </message>
    <message>
      <source>Step forward (])</source>
      <translation>前进一步（]）</translation>
    </message>
    <message>
      <source>Playback speed</source>
      <translation>播放速度</translation>
    </message>
    <message>
      <source>Simulation</source>
      <translation>模拟</translation>
    </message>
    <message>
      <source>Pause (Ctrl+Space)</source>
      <translation>暂停（Ctrl+Space）</translation>
    </message>
    <message>
      <source>Play (Ctrl+Space)</source>
      <translation>播放（Ctrl+Space）</translation>
    </message>
    <message>
      <source>hop %1/%2</source>
      <translation>第 %1/%2 跳</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::SimulationController</name>
    <message>
      <source>Cannot simulate: %1</source>
      <translation>无法模拟：%1</translation>
    </message>
    <message>
      <source>Cannot simulate this scenario</source>
      <translation>无法模拟此场景</translation>
    </message>
    <message>
      <source>NXDOMAIN: no such name</source>
      <translation>NXDOMAIN：没有这个名称</translation>
    </message>
    <message>
      <source>answered %1</source>
      <translation>应答 %1</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::SimulationSession</name>
    <message>
      <source>nothing to simulate</source>
      <translation>没有可模拟的内容</translation>
    </message>
    <message>
      <source>the scenario is being checked</source>
      <translation>正在检查场景</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::HostDiagram</name>
    <message>
      <source>swarm load-balancer sandbox</source>
      <translation>swarm 负载均衡沙箱</translation>
    </message>
    <message>
      <source>overlay network namespace</source>
      <translation>overlay 网络命名空间</translation>
    </message>
    <message>
      <source>container sandbox · %1</source>
      <translation>容器沙箱 · %1</translation>
    </message>
    <message>
      <source>sandbox · %1 · lo only</source>
      <translation>沙箱 · %1 · 仅回环 lo</translation>
    </message>
    <message>
      <source>%1 kernel</source>
      <translation>%1 内核</translation>
    </message>
    <message>
      <source>routing · netfilter (iptables) · conntrack · NAT</source>
      <translation>路由 · netfilter（iptables）· 连接跟踪 · NAT</translation>
    </message>
    <message>
      <source>outside %1</source>
      <translation>%1 之外</translation>
    </message>
    <message>
      <source>the LAN, other hosts, externals</source>
      <translation>局域网、其他主机、外部机器</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::HostScene</name>
    <message>
      <source>%1 — the host's network namespace</source>
      <translation>%1 — 主机自己的网络命名空间</translation>
    </message>
    <message>
      <source>netfilter — iptables-save</source>
      <translation>netfilter — iptables-save 输出</translation>
    </message>
    <message>
      <source># Beyond %1's eth0: the LAN, the other hosts and the externals (see the canvas)</source>
      <translation># %1 的 eth0 之外：局域网、其他主机和外部机器（见画布）</translation>
    </message>
    <message>
      <source># %1's own namespace: its routes; its iptables rules are listed on the right</source>
      <translation># %1 自己的命名空间：它的路由；iptables 规则列在右侧</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::HostView</name>
    <message>
      <source>Docker would not create this scenario:
%1</source>
      <translation>Docker 不会创建此场景：
%1</translation>
    </message>
    <message>
      <source>Select a device or a rule to see the commands that create it.</source>
      <translation>选择一个设备或一条规则，查看创建它的命令。</translation>
    </message>
    <message>
      <source>What Docker creates on this host. Hover or click a device or a rule for its ip / iptables command; a played probe moves through it.</source>
      <translation>Docker 在这台主机上创建的内容。悬停或点击设备、规则可查看对应的 ip / iptables 命令；播放的探测包会穿过它们。</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::LivePanel</name>
    <message>
      <source>answered</source>
      <translation>已应答</translation>
    </message>
    <message>
      <source>refused</source>
      <translation>被拒绝</translation>
    </message>
    <message>
      <source>dropped (no answer)</source>
      <translation>被丢弃（无应答）</translation>
    </message>
    <message>
      <source>no route (ICMP error)</source>
      <translation>无路由（ICMP 错误）</translation>
    </message>
    <message>
      <source>closed without a byte</source>
      <translation>连接关闭，未收到任何字节</translation>
    </message>
    <message>
      <source>could not be sent</source>
      <translation>无法发送</translation>
    </message>
    <message>
      <source>any address</source>
      <translation>任意地址</translation>
    </message>
    <message>
      <source>&amp;Live</source>
      <translation>实时(&amp;L)</translation>
    </message>
    <message>
      <source>Build the topology in real network namespaces (cnmlab live up) and compare the kernel&apos;s answers with the simulation&apos;s  (%1)</source>
      <translation>在真实网络命名空间中构建拓扑（cnmlab live up），并比较内核与模拟的回答  (%1)</translation>
    </message>
    <message>
      <source>Show the matrix</source>
      <translation>显示矩阵</translation>
    </message>
    <message>
      <source>Send the matrix again</source>
      <translation>重新发送矩阵</translation>
    </message>
    <message>
      <source>Send every probe of the reachability matrix in the kernel again</source>
      <translation>在内核中重新发送可达性矩阵的每个探测</translation>
    </message>
    <message>
      <source>Run from a container:</source>
      <translation>从容器运行：</translation>
    </message>
    <message>
      <source>from</source>
      <translation>从</translation>
    </message>
    <message>
      <source>name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>to</source>
      <translation>到</translation>
    </message>
    <message>
      <source>network</source>
      <translation>网络</translation>
    </message>
    <message>
      <source>The sender: a container, a Docker host or an external machine</source>
      <translation>发送方：容器、Docker 主机或外部机器</translation>
    </message>
    <message>
      <source>Destination: a name or an IPv4 address (for DNS: the name to resolve)</source>
      <translation>目标：名称或 IPv4 地址（DNS 时为要解析的名称）</translation>
    </message>
    <message>
      <source>The target&apos;s endpoint on this network; any address when none is chosen</source>
      <translation>目标在此网络上的端点；未选择时为任意地址</translation>
    </message>
    <message>
      <source>ICMP echo (ping), TCP connect, a UDP datagram, or a lookup in Docker&apos;s embedded DNS</source>
      <translation>ICMP 回显（ping）、TCP 连接、UDP 数据报，或在 Docker 内嵌 DNS 中查询</translation>
    </message>
    <message>
      <source>Destination port (TCP and UDP)</source>
      <translation>目标端口（TCP 和 UDP）</translation>
    </message>
    <message>
      <source>Run</source>
      <translation>运行</translation>
    </message>
    <message>
      <source>Send it in the kernel and in the simulation, and show both answers</source>
      <translation>在内核和模拟中各发送一次，并显示两个回答</translation>
    </message>
    <message>
      <source>Probe</source>
      <translation>探测</translation>
    </message>
    <message>
      <source>Simulation</source>
      <translation>模拟</translation>
    </message>
    <message>
      <source>Kernel</source>
      <translation>内核</translation>
    </message>
    <message>
      <source>What the kernel said</source>
      <translation>内核的回答</translation>
    </message>
    <message>
      <source>&lt;b&gt;Off&lt;/b&gt;: %1</source>
      <translation>&lt;b&gt;已关闭&lt;/b&gt;：%1</translation>
    </message>
    <message>
      <source>&lt;b&gt;Going up…&lt;/b&gt; &lt;code&gt;cnmlab live up %1&lt;/code&gt;</source>
      <translation>&lt;b&gt;正在启动…&lt;/b&gt; &lt;code&gt;cnmlab live up %1&lt;/code&gt;</translation>
    </message>
    <message>
      <source>The scenario changed since; switch Live off and on to rebuild it.</source>
      <translation>此后场景已更改；关闭再开启实时模式即可重建。</translation>
    </message>
    <message>
      <source>&lt;b&gt;Going down…&lt;/b&gt; &lt;code&gt;cnmlab live down %1&lt;/code&gt;</source>
      <translation>&lt;b&gt;正在拆除…&lt;/b&gt; &lt;code&gt;cnmlab live down %1&lt;/code&gt;</translation>
    </message>
    <message>
      <source>Reachability matrix: sent in the kernel once Live is up, and coloured by agreement.</source>
      <translation>可达性矩阵：实时模式启动后在内核中发送，并按一致性着色。</translation>
    </message>
    <message>
      <source>Reachability matrix: sending every probe in the kernel…</source>
      <translation>可达性矩阵：正在内核中发送每个探测…</translation>
    </message>
    <message>
      <source>Reachability matrix: not sent.</source>
      <translation>可达性矩阵：未发送。</translation>
    </message>
    <message>
      <source>Reachability matrix: could not run: %1</source>
      <translation>可达性矩阵：无法运行：%1</translation>
    </message>
    <message>
      <source>Reachability matrix: %1 probes, &lt;span style=&apos;color:%2&apos;&gt;&lt;b&gt;%3 agree&lt;/b&gt;&lt;/span&gt;, &lt;span style=&apos;color:%4&apos;&gt;&lt;b&gt;%5 disagree&lt;/b&gt;&lt;/span&gt;.</source>
      <translation>可达性矩阵：%1 个探测，&lt;span style=&apos;color:%2&apos;&gt;&lt;b&gt;%3 个一致&lt;/b&gt;&lt;/span&gt;，&lt;span style=&apos;color:%4&apos;&gt;&lt;b&gt;%5 个不一致&lt;/b&gt;&lt;/span&gt;。</translation>
    </message>
    <message>
      <source>reachable</source>
      <translation>可达</translation>
    </message>
    <message>
      <source>unreachable</source>
      <translation>不可达</translation>
    </message>
    <message>
      <source>no such name (NXDOMAIN)</source>
      <translation>无此名称（NXDOMAIN）</translation>
    </message>
    <message>
      <source>could not run</source>
      <translation>无法运行</translation>
    </message>
    <message>
      <source>Live</source>
      <translation>实时</translation>
    </message>
    <message>
      <source>&lt;b&gt;Off&lt;/b&gt;. Switch Live on to build this topology in real network namespaces and compare the kernel with the simulation. A helper does that as root, with your permission; the studio stays yours.</source>
      <translation>&lt;b&gt;关闭&lt;/b&gt;。开启实时模式，即可在真实的网络命名空间中构建此拓扑，并比较内核与模拟。这由一个经你许可、以 root 身份运行的辅助进程完成；工作室本身仍以你的身份运行。</translation>
    </message>
    <message>
      <source>&lt;b&gt;Asking for permission…&lt;/b&gt; to run &lt;code&gt;cnmlab live helper&lt;/code&gt; as root (&lt;code&gt;%1&lt;/code&gt;).</source>
      <translation>&lt;b&gt;正在请求许可…&lt;/b&gt; 以 root 身份运行 &lt;code&gt;cnmlab live helper&lt;/code&gt;（&lt;code&gt;%1&lt;/code&gt;）。</translation>
    </message>
    <message>
      <source>directly</source>
      <translation>直接运行</translation>
    </message>
    <message>
      <source>&lt;b&gt;Up&lt;/b&gt; in the kernel from &lt;code&gt;%1&lt;/code&gt;%2, built by &lt;code&gt;cnmlab live helper&lt;/code&gt; (pid %3) as &lt;b&gt;%4&lt;/b&gt;; the studio runs as &lt;b&gt;%5&lt;/b&gt; and never enters a namespace.</source>
      <translation>&lt;b&gt;已启动&lt;/b&gt;：内核中运行着 &lt;code&gt;%1&lt;/code&gt;%2，由 &lt;code&gt;cnmlab live helper&lt;/code&gt;（pid %3）以 &lt;b&gt;%4&lt;/b&gt; 身份构建；工作室以 &lt;b&gt;%5&lt;/b&gt; 身份运行，从不进入任何命名空间。</translation>
    </message>
    <message>
      <source> (the unsaved scenario on the canvas)</source>
      <translation>（画布上未保存的场景）</translation>
    </message>
    <message>
      <source>user %1</source>
      <translation>用户 %1</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::LiveSession</name>
    <message>
      <source>the scenario is empty</source>
      <translation>场景为空</translation>
    </message>
    <message>
      <source>Cannot switch Live on</source>
      <translation>无法开启实时模式</translation>
    </message>
    <message>
      <source>The scenario cannot be built: %1</source>
      <translation>无法构建该场景：%1</translation>
    </message>
    <message>
      <source>Live: building %1 in network namespaces (cnmlab live up)…</source>
      <translation>实时：正在网络命名空间中构建 %1（cnmlab live up）…</translation>
    </message>
    <message>
      <source>Live: taking %1 down (cnmlab live down)…</source>
      <translation>实时：正在拆除 %1（cnmlab live down）…</translation>
    </message>
    <message>
      <source>Live: %1</source>
      <translation>实时：%1</translation>
    </message>
    <message>
      <source>Cannot switch Live off</source>
      <translation>无法关闭实时模式</translation>
    </message>
    <message>
      <source>Live: the matrix could not run: %1</source>
      <translation>实时：矩阵无法运行：%1</translation>
    </message>
    <message numerus="yes">
      <source>Live: the kernel agrees with the simulation on all %n probe(s)</source>
      <translation>
        <numerusform>实时：内核与模拟在全部 %n 个探测上一致</numerusform>
      </translation>
    </message>
    <message>
      <source>Live: the kernel disagrees with the simulation on %1 of %2 probes</source>
      <translation>实时：在 %2 个探测中，内核与模拟有 %1 个不一致</translation>
    </message>
    <message>
      <source>Live: sending the reachability matrix in the kernel…</source>
      <translation>实时：正在内核中发送可达性矩阵…</translation>
    </message>
    <message>
      <source>Live: the scenario changed; the kernel still holds the one that went up. Switch Live off and on to rebuild it.</source>
      <translation>实时：场景已更改；内核中仍是启动时的版本。关闭再开启实时模式即可重建。</translation>
    </message>
    <message>
      <source>Live: starting the helper that builds %1…</source>
      <translation>实时：正在启动构建 %1 的辅助进程…</translation>
    </message>
    <message>
      <source>Live: asking for permission to run the helper as root (%1)…</source>
      <translation>实时：正在请求以 root 身份运行辅助进程的许可（%1）…</translation>
    </message>
    <message>
      <source>Live: not switched on.</source>
      <translation>实时：未开启。</translation>
    </message>
    <message>
      <source>`cnmlab live down` failed: %1</source>
      <translation>`cnmlab live down` 失败：%1</translation>
    </message>
    <message>
      <source>Live was not switched on.</source>
      <translation>实时模式未开启。</translation>
    </message>
    <message>
      <source>Live stopped</source>
      <translation>实时模式已停止</translation>
    </message>
    <message>
      <source>The Live helper ended while %1 was up. %2

What it built may still be in the kernel: `sudo cnmlab live down %3` removes it.</source>
      <translation>实时辅助进程在 %1 运行时结束了。%2

它构建的内容可能仍在内核中：`sudo cnmlab live down %3` 可将其移除。</translation>
    </message>
    <message>
      <source>the helper sent %1 probes for the simulation&apos;s %2: the studio and cnmlab come from different builds</source>
      <translation>辅助进程发来 %1 个探测，而模拟有 %2 个：工作室与 cnmlab 来自不同的构建</translation>
    </message>
    <message>
      <source>the helper&apos;s probe %1 is not the simulation&apos;s: the studio and cnmlab come from different builds</source>
      <translation>辅助进程的第 %1 个探测与模拟的不同：工作室与 cnmlab 来自不同的构建</translation>
    </message>
    <message>
      <source>the helper&apos;s simulation answered “%1”, the studio&apos;s “%2”: the studio and cnmlab come from different builds</source>
      <translation>辅助进程的模拟回答“%1”，工作室的回答“%2”：工作室与 cnmlab 来自不同的构建</translation>
    </message>
    <message>
      <source>Live was switched off.</source>
      <translation>实时模式已关闭。</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::ReachMatrixModel</name>
    <message>
      <source>%1 %2: simulation %3 %4, kernel %5 %6 (%7) — %8</source>
      <translation>%1 %2：模拟 %3 %4，内核 %5 %6（%7）— %8</translation>
    </message>
    <message>
      <source>answered</source>
      <translation>已应答</translation>
    </message>
    <message>
      <source>refused</source>
      <translation>被拒绝</translation>
    </message>
    <message>
      <source>dropped</source>
      <translation>被丢弃</translation>
    </message>
    <message>
      <source>no route</source>
      <translation>无路由</translation>
    </message>
    <message>
      <source>closed</source>
      <translation>连接被关闭</translation>
    </message>
    <message>
      <source>could not be sent</source>
      <translation>无法发送</translation>
    </message>
    <message numerus="yes">
      <source>The kernel disagrees with the simulation on %n probe(s)</source>
      <translation>
        <numerusform>内核与模拟在 %n 个探测上不一致</numerusform>
      </translation>
    </message>
    <message>
      <source>The kernel agrees with the simulation</source>
      <translation>内核与模拟一致</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::Worker</name>
    <message>
      <source>internal error: %1</source>
      <translation>内部错误：%1</translation>
    </message>
    <message>
      <source>internal error: an exception of an unknown type</source>
      <translation>内部错误：未知类型的异常</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::CompareTableModel</name>
    <message>
      <source>reachable</source>
      <translation>可达</translation>
    </message>
    <message>
      <source>unreachable</source>
      <translation>不可达</translation>
    </message>
    <message>
      <source>absent</source>
      <translation>不存在</translation>
    </message>
    <message>
      <source>No pair of the matrix changed from %1.</source>
      <translation>与 %1 相比，矩阵中没有任何一对发生变化。</translation>
    </message>
    <message numerus="yes">
      <source>%n pair(s) changed from %1:</source>
      <translation>
        <numerusform>与 %1 相比有 %n 对发生变化：</numerusform>
      </translation>
    </message>
    <message>
      <source>… and %1 more</source>
      <translation>……另有 %1 对</translation>
    </message>
    <message>
      <source>%1 → %2: MAC %3, IP %4 (%5)</source>
      <translation>%1 → %2：MAC %3，IP %4（%5）</translation>
    </message>
    <message>
      <source>No compared container pinged a LAN machine.</source>
      <translation>没有参与对比的容器 ping 过局域网上的机器。</translation>
    </message>
    <message>
      <source>network namespaces %1
links %2
addresses %3
routes %4
neighbour and FDB entries %5
netfilter rules %6
chains %7
sysctls, DNS records, IPsec %8</source>
      <translation>网络命名空间 %1
链路 %2
地址 %3
路由 %4
邻居与 FDB 表项 %5
netfilter 规则 %6
链 %7
sysctl、DNS 记录、IPsec %8</translation>
    </message>
    <message>
      <source>✓ valid</source>
      <translation>✓ 有效</translation>
    </message>
    <message>
      <source>✗ %1</source>
      <translation>✗ %1</translation>
    </message>
    <message>
      <source>%1 · %2 flipped</source>
      <translation>%1 · %2 对结果相反</translation>
    </message>
    <message>
      <source>%1 · %2 flipped, %3 new or gone</source>
      <translation>%1 · %2 对结果相反，%3 对新增或消失</translation>
    </message>
    <message>
      <source>%1 B on the LAN</source>
      <translation>局域网上 %1 字节</translation>
    </message>
    <message>
      <source>%1 B in %2</source>
      <translation>%2 中 %1 字节</translation>
    </message>
    <message numerus="yes">
      <source>%n address(es)</source>
      <translation>
        <numerusform>%n 个地址</numerusform>
      </translation>
    </message>
    <message>
      <source>%1 on %2: %3</source>
      <translation>%2 上的 %1：%3</translation>
    </message>
    <message>
      <source>Addresses on two hosts</source>
      <translation>两台主机重复的地址</translation>
    </message>
    <message>
      <source>Addresses two containers on different hosts both have on one LAN segment: each host&apos;s IPAM hands out the same ones (local scope)</source>
      <translation>不同主机上的两个容器在同一局域网网段上拥有相同的地址：每台主机的 IPAM 各自分配出同样的地址（本地作用域）</translation>
    </message>
    <message numerus="yes">
      <source>%n device(s)</source>
      <translation>
        <numerusform>%n 个设备</numerusform>
      </translation>
    </message>
    <message>
      <source>%1 · %2 rules</source>
      <translation>%1 · %2 条规则</translation>
    </message>
    <message>
      <source>The file is valid on %1.</source>
      <translation>此文件在 %1 上有效。</translation>
    </message>
    <message>
      <source>Invalid on %1: %2</source>
      <translation>在 %1 上无效：%2</translation>
    </message>
    <message>
      <source>Not measured: the file is invalid on %1.</source>
      <translation>未测量：此文件在 %1 上无效。</translation>
    </message>
    <message>
      <source>The file has no two containers to ping between.</source>
      <translation>此文件没有可以互相 ping 的两个容器。</translation>
    </message>
    <message>
      <source>across hosts</source>
      <translation>跨主机</translation>
    </message>
    <message>
      <source>on one host</source>
      <translation>同一主机上</translation>
    </message>
    <message>
      <source>64 bytes of ICMP from %1 to %2 (%3): %4</source>
      <translation>从 %1 到 %2 的 64 字节 ICMP（%3）：%4</translation>
    </message>
    <message>
      <source>The echo request's largest frame (Ethernet header on, the ICMP message %1 B), at %2: %3</source>
      <translation>回显请求最大的帧（含以太网头部，ICMP 报文 %1 字节），位于 %2：%3</translation>
    </message>
    <message>
      <source>Valid</source>
      <translation>有效</translation>
    </message>
    <message>
      <source>Reach matrix</source>
      <translation>可达性矩阵</translation>
    </message>
    <message>
      <source>Container → own host</source>
      <translation>容器 → 所在主机</translation>
    </message>
    <message>
      <source>Own host → container</source>
      <translation>所在主机 → 容器</translation>
    </message>
    <message>
      <source>Container → other hosts</source>
      <translation>容器 → 其他主机</translation>
    </message>
    <message>
      <source>Other hosts → container</source>
      <translation>其他主机 → 容器</translation>
    </message>
    <message>
      <source>Container → LAN machines</source>
      <translation>容器 → 局域网机器</translation>
    </message>
    <message>
      <source>LAN machines → container</source>
      <translation>局域网机器 → 容器</translation>
    </message>
    <message>
      <source>Container → container across hosts</source>
      <translation>跨主机容器 → 容器</translation>
    </message>
    <message>
      <source>Names resolved</source>
      <translation>名称解析</translation>
    </message>
    <message>
      <source>Published ports</source>
      <translation>发布端口</translation>
    </message>
    <message>
      <source>x-probes passing</source>
      <translation>通过的 x-probes</translation>
    </message>
    <message>
      <source>Identity on the LAN</source>
      <translation>局域网上的身份</translation>
    </message>
    <message>
      <source>Reference ping</source>
      <translation>参考 ping</translation>
    </message>
    <message>
      <source>MTU</source>
      <translation>MTU</translation>
    </message>
    <message>
      <source>Bytes on the wire</source>
      <translation>线上字节数</translation>
    </message>
    <message>
      <source>Devices crossed</source>
      <translation>经过的设备</translation>
    </message>
    <message>
      <source>Kernel objects</source>
      <translation>内核对象</translation>
    </message>
    <message>
      <source>Whether Docker accepts the file with its networks on this driver</source>
      <translation>网络换成此驱动后，Docker 是否接受此文件</translation>
    </message>
    <message>
      <source>Probes of the whole reachability matrix that answer, and the pairs whose verdict is not the first driver's</source>
      <translation>整个可达性矩阵中得到应答的探测，以及结论与第一个驱动不同的探测对</translation>
    </message>
    <message>
      <source>Ping from each compared container to the addresses of the Docker host it runs on</source>
      <translation>从每个参与对比的容器 ping 其所在 Docker 主机的地址</translation>
    </message>
    <message>
      <source>Ping from each container's own Docker host to the container</source>
      <translation>从每个容器所在的 Docker 主机 ping 该容器</translation>
    </message>
    <message>
      <source>Ping from each compared container to the other Docker hosts</source>
      <translation>从每个参与对比的容器 ping 其他 Docker 主机</translation>
    </message>
    <message>
      <source>Ping from the other Docker hosts to each compared container</source>
      <translation>从其他 Docker 主机 ping 每个参与对比的容器</translation>
    </message>
    <message>
      <source>Ping from each compared container to the machines on the hosts' LAN</source>
      <translation>从每个参与对比的容器 ping 主机所在局域网上的机器</translation>
    </message>
    <message>
      <source>Ping from the machines on the hosts' LAN to each compared container</source>
      <translation>从主机所在局域网上的机器 ping 每个参与对比的容器</translation>
    </message>
    <message>
      <source>Ping between compared containers on different Docker hosts</source>
      <translation>在不同 Docker 主机上的参与对比的容器之间 ping</translation>
    </message>
    <message>
      <source>Lookups of each other's service name in Docker's embedded DNS that answer</source>
      <translation>在 Docker 内嵌 DNS 中查询彼此服务名并得到应答的次数</translation>
    </message>
    <message>
      <source>Published ports tried from off the host</source>
      <translation>从主机之外尝试访问的发布端口</translation>
    </message>
    <message>
      <source>The file's x-probes whose expectation holds</source>
      <translation>文件中期望成立的 x-probes</translation>
    </message>
    <message>
      <source>The source MAC and IP a container's ping shows on the LAN, as the LAN switch sees it</source>
      <translation>容器的 ping 在局域网上呈现的源 MAC 和 IP（局域网交换机所见）</translation>
    </message>
    <message>
      <source>One ping of 64 bytes of ICMP between two of the containers: the one the canvases below play</source>
      <translation>两个容器之间一次 64 字节 ICMP 的 ping：也就是下方画布播放的那一次</translation>
    </message>
    <message>
      <source>The MTU of the sender's interface</source>
      <translation>发送方接口的 MTU</translation>
    </message>
    <message>
      <source>The echo request's largest frame, Ethernet header on, and where it was that large</source>
      <translation>回显请求最大的帧（含以太网头部），以及它在哪里达到这一大小</translation>
    </message>
    <message>
      <source>The devices the echo request crosses, each once</source>
      <translation>回显请求经过的设备（每个只计一次）</translation>
    </message>
    <message>
      <source>Kernel objects and rules the Plan creates: namespaces, links, addresses, routes, neighbour entries, netfilter rules and chains, the rest</source>
      <translation>Plan 创建的内核对象和规则：命名空间、链路、地址、路由、邻居表项、netfilter 规则和链，以及其余对象</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::ComparePane</name>
    <message>
      <source>Invalid on %1: %2</source>
      <translation>在 %1 上无效：%2</translation>
    </message>
    <message>
      <source>reachable</source>
      <translation>可达</translation>
    </message>
    <message>
      <source>unreachable</source>
      <translation>不可达</translation>
    </message>
    <message numerus="yes">
      <source>%n hop(s)</source>
      <translation>
        <numerusform>%n 跳</numerusform>
      </translation>
    </message>
    <message>
      <source>Hop %1/%2</source>
      <translation>第 %1/%2 跳</translation>
    </message>
    <message>
      <source>ended; waiting for the other side</source>
      <translation>已结束，等待另一侧</translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::CompareView</name>
    <message>
      <source>every network</source>
      <translation>所有网络</translation>
    </message>
    <message>
      <source>Comparing on %1…</source>
      <translation>正在 %1 上对比……</translation>
    </message>
    <message>
      <source>Compare drivers — %1</source>
      <translation>驱动对比 — %1</translation>
    </message>
    <message>
      <source>Drivers:</source>
      <translation>驱动：</translation>
    </message>
    <message>
      <source>Network:</source>
      <translation>网络：</translation>
    </message>
    <message>
      <source>The networks put on each driver: every user network of the file, or one of them</source>
      <translation>换到每个驱动上的网络：文件中的所有用户网络，或其中一个</translation>
    </message>
    <message>
      <source>Compare</source>
      <translation>对比</translation>
    </message>
    <message>
      <source>Put the networks on each ticked driver in turn and measure the same things on each (cnmlab compare)</source>
      <translation>依次把网络换到每个勾选的驱动上，并在每个驱动上测量相同的内容（cnmlab compare）</translation>
    </message>
    <message>
      <source>%1: a third-party driver cnmlab ships, spoken to over Docker's plugin protocol</source>
      <translation>%1：cnmlab 自带的第三方驱动，通过 Docker 的插件协议通信</translation>
    </message>
    <message>
      <source>%1: a driver built into Docker</source>
      <translation>%1：Docker 内置的驱动</translation>
    </message>
    <message>
      <source>%1 with %2 on each driver. &lt;span style='background:%3'&gt;&amp;nbsp;Marked&amp;nbsp;&lt;/span&gt; cells differ from the first driver, %4; hover a cell for the details.</source>
      <translation>%1，把 %2 依次换到每个驱动上。&lt;span style='background:%3'&gt;&amp;nbsp;标记&amp;nbsp;&lt;/span&gt;的单元格与第一个驱动 %4 不同；鼠标悬停可查看详情。</translation>
    </message>
    <message>
      <source>The file changed since: Compare again</source>
      <translation>文件已更改：请重新对比</translation>
    </message>
    <message>
      <source>Tick the drivers to compare and press Compare.</source>
      <translation>勾选要对比的驱动，然后点击“对比”。</translation>
    </message>
    <message>
      <source>Probe</source>
      <translation>探测</translation>
    </message>
    <message>
      <source>Source: a container, a Docker host or an external machine</source>
      <translation>源：容器、Docker 主机或外部机器</translation>
    </message>
    <message>
      <source>Destination: a name or an IPv4 address (for DNS: the name to resolve)</source>
      <translation>目标：名称或 IPv4 地址（DNS 时为要解析的名称）</translation>
    </message>
    <message>
      <source>Protocol</source>
      <translation>协议</translation>
    </message>
    <message>
      <source>Destination port (TCP and UDP)</source>
      <translation>目标端口（TCP 和 UDP）</translation>
    </message>
    <message>
      <source>Play on both</source>
      <translation>两侧同时播放</translation>
    </message>
    <message>
      <source>Trace the probe on both drivers and play them in step</source>
      <translation>在两个驱动上追踪该探测，并同步播放</translation>
    </message>
    <message>
      <source>To start (Home)</source>
      <translation>回到开头（Home）</translation>
    </message>
    <message>
      <source>Step back on both ([)</source>
      <translation>两侧同时后退一步（[）</translation>
    </message>
    <message>
      <source>Step forward on both (])</source>
      <translation>两侧同时前进一步（]）</translation>
    </message>
    <message>
      <source>The destination&apos;s address on this network, or any of its addresses the source can reach</source>
      <translation>目标在此网络上的地址，或源能到达的目标的任一地址</translation>
    </message>
    <message>
      <source>any network</source>
      <translation>任意网络</translation>
    </message>
    <message>
      <source>Hop k on the left and hop k on the right are shown at once; the shorter trace waits at its end</source>
      <translation>左侧第 k 跳和右侧第 k 跳同时显示；较短的路径停在终点等待</translation>
    </message>
    <message>
      <source>Playback speed</source>
      <translation>播放速度</translation>
    </message>
    <message>
      <source>Nothing compared yet</source>
      <translation>尚未对比</translation>
    </message>
    <message>
      <source>%1 is not among the compared drivers</source>
      <translation>%1 不在参与对比的驱动中</translation>
    </message>
    <message>
      <source>Pause both (Ctrl+Space)</source>
      <translation>两侧同时暂停（Ctrl+Space）</translation>
    </message>
    <message>
      <source>Play both (Ctrl+Space)</source>
      <translation>两侧同时播放（Ctrl+Space）</translation>
    </message>
    <message>
      <source>hop %1/%2</source>
      <translation>第 %1/%2 跳</translation>
    </message>
  </context>
</TS>