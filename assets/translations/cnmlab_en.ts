<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
  <context>
    <name>cnmlab::ui::EditController</name>
    <message numerus="yes">
      <source>Move %n items</source>
      <translation>
        <numerusform>Move %n item</numerusform>
        <numerusform>Move %n items</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::HostForm</name>
    <message numerus="yes">
      <source>%n container(s). dockerd creates docker0 (172.17.0.0/16), the DOCKER chains and one bridge per bridge network used here.</source>
      <translation>
        <numerusform>%n container. dockerd creates docker0 (172.17.0.0/16), the DOCKER chains and one bridge per bridge network used here.</numerusform>
        <numerusform>%n containers. dockerd creates docker0 (172.17.0.0/16), the DOCKER chains and one bridge per bridge network used here.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::LiveSession</name>
    <message numerus="yes">
      <source>Live: the kernel agrees with the simulation on all %n probe(s)</source>
      <translation>
        <numerusform>Live: the kernel agrees with the simulation on its %n probe</numerusform>
        <numerusform>Live: the kernel agrees with the simulation on all %n probes</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::ReachMatrixModel</name>
    <message numerus="yes">
      <source>The kernel disagrees with the simulation on %n probe(s)</source>
      <translation>
        <numerusform>The kernel disagrees with the simulation on %n probe</numerusform>
        <numerusform>The kernel disagrees with the simulation on %n probes</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::MainWindow</name>
    <message numerus="yes">
      <source>%n host(s)</source>
      <translation>
        <numerusform>%n host</numerusform>
        <numerusform>%n hosts</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n network(s)</source>
      <translation>
        <numerusform>%n network</numerusform>
        <numerusform>%n networks</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n container(s)</source>
      <translation>
        <numerusform>%n container</numerusform>
        <numerusform>%n containers</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::ProjectForm</name>
    <message numerus="yes">
      <source>%n host(s)</source>
      <translation>
        <numerusform>%n host</numerusform>
        <numerusform>%n hosts</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n network(s)</source>
      <translation>
        <numerusform>%n network</numerusform>
        <numerusform>%n networks</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n container(s)</source>
      <translation>
        <numerusform>%n container</numerusform>
        <numerusform>%n containers</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n probe(s)</source>
      <translation>
        <numerusform>%n probe</numerusform>
        <numerusform>%n probes</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::CompareTableModel</name>
    <message numerus="yes">
      <source>%n pair(s) changed from %1:</source>
      <translation>
        <numerusform>%n pair changed from %1:</numerusform>
        <numerusform>%n pairs changed from %1:</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n address(es)</source>
      <translation>
        <numerusform>%n address</numerusform>
        <numerusform>%n addresses</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n device(s)</source>
      <translation>
        <numerusform>%n device</numerusform>
        <numerusform>%n devices</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>cnmlab::ui::ComparePane</name>
    <message numerus="yes">
      <source>%n hop(s)</source>
      <translation>
        <numerusform>%n hop</numerusform>
        <numerusform>%n hops</numerusform>
      </translation>
    </message>
  </context>
</TS>